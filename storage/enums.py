"""The stored vocabularies (plain strings in the tables), shared by the models, the NLU, the tools, the bots and
the command line. Nothing but the standard library: `realty --help` imports this without SQLAlchemy."""

from __future__ import annotations

from enum import StrEnum


class PropertyType(StrEnum):
    VILLA = "villa"
    APARTMENT = "apartment"
    TOWNHOUSE = "townhouse"
    HOUSE = "house"
    LAND = "land"


class Transaction(StrEnum):
    SALE = "sale"
    RENT = "rent"


class PaymentMethod(StrEnum):
    CASH = "cash"
    MORTGAGE = "mortgage"
    INSTALLMENTS = "installments"
    CRYPTO = "crypto"
    BANK_TRANSFER = "bank_transfer"


class PropertyStatus(StrEnum):
    AVAILABLE = "available"
    RESERVED = "reserved"
    SOLD = "sold"
    RENTED = "rented"
    HIDDEN = "hidden"


class LeadStatus(StrEnum):
    NEW = "new"
    QUALIFYING = "qualifying"
    QUALIFIED = "qualified"
    CONTACT_CAPTURED = "contact_captured"
    VIEWING_SCHEDULED = "viewing_scheduled"
    HANDED_OFF = "handed_off"
    WON = "won"
    LOST = "lost"


class RepStatus(StrEnum):
    PENDING = "pending"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    REMOVED = "removed"


class ProspectStatus(StrEnum):
    UNREACHED = "unreached"
    CONTACTED = "contacted"
    IN_CONVERSATION = "in_conversation"
    CONVERTED = "converted"
    ARCHIVED = "archived"


class ViewingStatus(StrEnum):
    SCHEDULED = "scheduled"
    RESCHEDULED = "rescheduled"
    CANCELLED = "cancelled"
    COMPLETED = "completed"
    NO_SHOW = "no_show"


class SendStatus(StrEnum):
    PENDING = "pending"
    """Planned; sent by the first worker that claims it once due."""
    CLAIMED = "claimed"
    """A worker took it and may be sending it right now."""
    HELD = "held"
    """Waiting: for the end of quiet hours (due_at moved) or for a rep's approval (see hold_reason)."""
    SENT = "sent"
    CANCELLED = "cancelled"
    FAILED = "failed"
    UNKNOWN = "unknown"
    """The worker died between sending and recording: never resent, reported to operators."""
    SKIPPED = "skipped"
    """No way to reach the recipient on that channel (no chat, SMTP not configured...): nothing was sent."""


class Direction(StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"
