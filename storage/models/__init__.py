"""Every table of realty-agent, re-exported so `Base.metadata` knows them all."""

from storage.enums import (
    Direction,
    LeadStatus,
    PaymentMethod,
    PropertyStatus,
    PropertyType,
    ProspectStatus,
    RepStatus,
    SendStatus,
    Transaction,
    ViewingStatus,
)
from storage.models.analytics import DailyChannel, DailyFunnel, EventFacts, FactsRefresh, LeadFacts, StaleLead
from storage.models.base import EMBEDDING_DIM, Base
from storage.models.conversion import LeadLikelihood, ScoringModel
from storage.models.followup import FollowUpSend, FollowUpSequence, FollowUpStep, RepTask
from storage.models.insight import LeadInsight
from storage.models.integrations import WebhookDelivery, WebhookEndpoint
from storage.models.lead import (
    FOLLOW_UP_ALLOWED,
    GHOST_ELIGIBLE,
    LEAD_STOP_STATUSES,
    Lead,
    LeadAlert,
    LeadInteraction,
    LeadScoreFactor,
)
from storage.models.privacy import ErasureRequest, ErasureStatus
from storage.models.property import Property
from storage.models.question import LeadQuestion, QuestionStatus
from storage.models.takeover import TakeoverForward
from storage.models.team import AuditLog, Prospect, SalesRepresentative
from storage.models.telegram import CallbackState, OAuthState, ProcessedUpdate
from storage.models.tenant import Tenant
from storage.models.viewing import BLOCK_MINUTES, Viewing, ViewingBlock
from storage.models.web import ApiToken, SignInFailure, SignInLink, WebSession

__all__ = [
    "BLOCK_MINUTES",
    "EMBEDDING_DIM",
    "FOLLOW_UP_ALLOWED",
    "GHOST_ELIGIBLE",
    "LEAD_STOP_STATUSES",
    "ApiToken",
    "AuditLog",
    "Base",
    "CallbackState",
    "DailyChannel",
    "DailyFunnel",
    "Direction",
    "ErasureRequest",
    "ErasureStatus",
    "EventFacts",
    "FactsRefresh",
    "FollowUpSend",
    "FollowUpSequence",
    "FollowUpStep",
    "Lead",
    "LeadAlert",
    "LeadFacts",
    "LeadInsight",
    "LeadInteraction",
    "LeadLikelihood",
    "LeadQuestion",
    "LeadScoreFactor",
    "LeadStatus",
    "OAuthState",
    "PaymentMethod",
    "ProcessedUpdate",
    "Property",
    "PropertyStatus",
    "PropertyType",
    "Prospect",
    "ProspectStatus",
    "QuestionStatus",
    "RepStatus",
    "RepTask",
    "SalesRepresentative",
    "ScoringModel",
    "SendStatus",
    "SignInFailure",
    "SignInLink",
    "StaleLead",
    "TakeoverForward",
    "Tenant",
    "Transaction",
    "Viewing",
    "ViewingBlock",
    "ViewingStatus",
    "WebSession",
    "WebhookDelivery",
    "WebhookEndpoint",
]
