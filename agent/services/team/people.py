"""Which reps a name an admin typed points to ("Oleg", "@oleg", "oleg@agency.ru")."""

from __future__ import annotations

from collections.abc import Sequence

from storage.models import SalesRepresentative


def named(query: str, reps: Sequence[SalesRepresentative]) -> list[SalesRepresentative]:
    """The reps this query names: exact matches (name, @username, e-mail, Telegram id) first, else partial ones."""
    needle = query.strip().lower().lstrip("@")
    if not needle:
        return []
    exact = [
        rep
        for rep in reps
        if needle
        in (rep.email.lower(), (rep.telegram_username or "").lower(), rep.name.lower(), str(rep.telegram_id))
    ]
    if exact:
        return exact
    return [rep for rep in reps if needle in rep.name.lower() or needle in rep.email.lower()]
