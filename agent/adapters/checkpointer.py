"""Where conversations keep their LangGraph state: AsyncPostgresSaver on a psycopg pool, and per-thread turn locks.

Declared by the services (one store per process), opened on first use from the database URL and closed
with the services. Two pools: the
checkpointer's, and one whose connections each hold a turn's advisory lock for the turn's length.
Keeping them apart means a turn waiting for its lock holds nothing another turn needs; the lock
pool's size is how many turns one process runs at once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from storage.db import libpq_url

if TYPE_CHECKING:
    from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
    from psycopg_pool import AsyncConnectionPool

    from storage.db import Database

log = logging.getLogger(__name__)

SETUP_LOCK_KEY = 0x5EA1_7A6E
"""Advisory lock key that serialises `saver.setup()` across processes starting together."""
LOCK_WAIT_SECONDS = 300.0


@dataclass
class ConversationStore:
    """The checkpointer and the turn locks of one process."""

    database: Database
    pool_size: int = 10
    saver: AsyncPostgresSaver | None = None
    graphs: dict[str, Any] = field(default_factory=dict)
    """Graphs compiled with this checkpointer, by name (compiled once per process)."""
    _pool: AsyncConnectionPool | None = None
    _lock_pool: AsyncConnectionPool | None = None
    _opening: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def open(self) -> ConversationStore:
        """Open both pools and set the checkpoint tables up (once per process, safe across processes)."""
        if self.saver is not None:
            return self
        async with self._opening:
            if self.saver is not None:
                return self
            from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
            from psycopg.rows import dict_row
            from psycopg_pool import AsyncConnectionPool

            conninfo = libpq_url(self.database.url)
            pool: AsyncConnectionPool = AsyncConnectionPool(
                conninfo,
                min_size=1,
                max_size=self.pool_size,
                kwargs={"autocommit": True, "row_factory": dict_row, "prepare_threshold": 0},
                open=False,
                check=AsyncConnectionPool.check_connection,  # a connection a database restart broke is replaced
                name="checkpoints",
            )
            lock_pool: AsyncConnectionPool = AsyncConnectionPool(
                conninfo,
                min_size=1,
                max_size=self.pool_size,
                kwargs={"autocommit": True, "prepare_threshold": 0},
                timeout=LOCK_WAIT_SECONDS,
                open=False,
                check=AsyncConnectionPool.check_connection,
                name="turn-locks",
            )
            await pool.open(wait=True)
            await lock_pool.open(wait=True)
            saver = AsyncPostgresSaver(pool)  # type: ignore[arg-type]
            try:
                async with lock_pool.connection() as conn:
                    await conn.execute("SELECT pg_advisory_lock(%s)", (SETUP_LOCK_KEY,))
                    try:
                        await saver.setup()
                    finally:
                        await conn.execute("SELECT pg_advisory_unlock(%s)", (SETUP_LOCK_KEY,))
            except BaseException:
                await lock_pool.close()
                await pool.close()
                raise
            self._pool, self._lock_pool, self.saver = pool, lock_pool, saver
        return self

    @asynccontextmanager
    async def turn_lock(self, thread_id: str) -> AsyncIterator[None]:
        """Hold the thread's transaction-level advisory lock: one turn per thread at a time, in any process."""
        await self.open()
        assert self._lock_pool is not None
        async with self._lock_pool.connection() as conn, conn.transaction():
            await conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", (thread_id,))
            yield

    async def storage_bytes(self, thread_id: str | None = None) -> int:
        """Bytes the checkpoint tables hold (for one thread, or all)."""
        await self.open()
        assert self._pool is not None
        where = "WHERE thread_id = %(t)s" if thread_id else ""
        query = f"""
            SELECT COALESCE((SELECT SUM(pg_column_size(c.*)) FROM checkpoints c {where}), 0)
                 + COALESCE((SELECT SUM(pg_column_size(b.*)) FROM checkpoint_blobs b {where}), 0)
                 + COALESCE((SELECT SUM(pg_column_size(w.*)) FROM checkpoint_writes w {where}), 0) AS bytes
        """
        async with self._pool.connection() as conn:
            row = await (await conn.execute(query, {"t": thread_id})).fetchone()
        return int(row["bytes"]) if row else 0  # type: ignore[call-overload]

    async def close(self) -> None:
        pools = [pool for pool in (self._lock_pool, self._pool) if pool is not None]
        self._pool = self._lock_pool = self.saver = None
        self.graphs.clear()
        for pool in pools:
            await pool.close()


class HasConversations(Protocol):
    conversations: ConversationStore


async def conversation_store(services: HasConversations) -> ConversationStore:
    """The services' conversation store, opened (pools and checkpoint tables) on first use."""
    return await services.conversations.open()
