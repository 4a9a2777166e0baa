"""Telegram bookkeeping: update ids claimed and handled, button payloads kept on the server, team users' language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import CallbackState, ProcessedUpdate

LANGUAGE_KEY_PREFIX = "lang:"
"""callback_states rows under `lang:<telegram id>` remember the language of a team-bot user who is not a rep."""
LANGUAGE_TTL = timedelta(days=3650)


@dataclass
class TelegramRepository:
    session: AsyncSession

    async def claim_update(self, bot_key: str, update_id: int, now: datetime, lease: timedelta) -> bool:
        """True when this delivery may be handled: the first one of this update id to this bot, or one whose
        earlier claim was never handled and is older than `lease` (its claimer is presumed dead). False for a
        repeat: handled already, or claimed within the lease. One atomic statement, safe across processes."""
        row = ProcessedUpdate.__table__.c
        statement = (
            insert(ProcessedUpdate)
            .values(bot_key=bot_key, update_id=update_id, processed_at=now, handled_at=None)
            .on_conflict_do_update(
                index_elements=[ProcessedUpdate.bot_key, ProcessedUpdate.update_id],
                set_={"processed_at": now},
                where=row.handled_at.is_(None) & (row.processed_at < now - lease),
            )
            .returning(ProcessedUpdate.update_id)
        )
        return (await self.session.execute(statement)).first() is not None

    async def mark_handled(self, bot_key: str, update_id: int, now: datetime) -> None:
        """The update's handlers have all run: a later delivery of it is a repeat, whatever the lease."""
        await self.session.execute(
            update(ProcessedUpdate)
            .where(
                ProcessedUpdate.bot_key == bot_key,
                ProcessedUpdate.update_id == update_id,
                ProcessedUpdate.handled_at.is_(None),
            )
            .values(handled_at=now)
        )

    async def release_unhandled(self, bot_key: str) -> int:
        """Forget this bot's claims that were never handled (a polling process starts: Telegram allows one
        getUpdates consumer per bot, so they were made by a process that is gone)."""
        result = await self.session.execute(
            delete(ProcessedUpdate).where(
                ProcessedUpdate.bot_key == bot_key, ProcessedUpdate.handled_at.is_(None)
            )
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def forget_updates(self, before: datetime) -> int:
        """Drop update ids older than `before` (Telegram never redelivers after 24 hours)."""
        result = await self.session.execute(
            delete(ProcessedUpdate).where(ProcessedUpdate.processed_at < before)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def put_callback(self, key: str, payload: dict[str, object], now: datetime, ttl: timedelta) -> None:
        statement = insert(CallbackState).values(
            key=key, payload=payload, created_at=now, expires_at=now + ttl
        )
        statement = statement.on_conflict_do_update(
            index_elements=[CallbackState.key],
            set_={"payload": payload, "created_at": now, "expires_at": now + ttl},
        )
        await self.session.execute(statement)

    async def get_callback(self, key: str, now: datetime) -> dict[str, object] | None:
        """The payload stored under `key`, None when unknown or expired."""
        query = select(CallbackState.payload).where(CallbackState.key == key, CallbackState.expires_at > now)
        payload = (await self.session.execute(query)).scalar_one_or_none()
        return dict(payload) if payload is not None else None

    async def forget_callbacks(self, now: datetime) -> int:
        result = await self.session.execute(delete(CallbackState).where(CallbackState.expires_at <= now))
        return int(getattr(result, "rowcount", 0) or 0)

    async def remember_language(self, telegram_id: int, language: str, now: datetime) -> None:
        await self.put_callback(
            f"{LANGUAGE_KEY_PREFIX}{telegram_id}", {"language": language}, now, LANGUAGE_TTL
        )

    async def languages(self, telegram_ids: list[int], now: datetime) -> dict[int, str]:
        """The remembered language of each of these users (missing ones are left out)."""
        if not telegram_ids:
            return {}
        keys = [f"{LANGUAGE_KEY_PREFIX}{telegram_id}" for telegram_id in telegram_ids]
        rows = await self.session.execute(
            select(CallbackState.key, CallbackState.payload).where(
                CallbackState.key.in_(keys), CallbackState.expires_at > now
            )
        )
        found: dict[int, str] = {}
        for key, payload in rows:
            language = payload.get("language") if isinstance(payload, dict) else None
            if isinstance(language, str):
                found[int(key.removeprefix(LANGUAGE_KEY_PREFIX))] = language
        return found
