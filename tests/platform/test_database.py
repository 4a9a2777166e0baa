"""The foundation: the embedded server, migrations, and errors that say what to check."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from agent.settings import Settings
from storage.db import Database, DatabaseUnavailable
from storage.migrate import current_revision, head_revision, upgrade
from storage.startup import open_database


async def test_schema_is_at_head_with_pgvector(database: Database) -> None:
    assert await current_revision(database) == head_revision()
    async with database.engine.connect() as conn:
        version = (
            await conn.execute(text("SELECT extversion FROM pg_extension WHERE extname='vector'"))
        ).scalar()
        server = (await conn.execute(text("SHOW server_version_num"))).scalar()
    assert version is not None and tuple(int(p) for p in version.split(".")[:2]) >= (0, 8)
    assert int(server) >= 150000


async def test_upgrade_twice_is_a_no_op(database: Database) -> None:
    assert await upgrade(database) == head_revision()
    assert await upgrade(database) == head_revision()


async def test_unreachable_database_url_gives_a_one_line_hint(tmp_path: Path) -> None:
    settings = Settings(
        _env_file=None, database_url="postgresql://realty:secret@127.0.0.1:1/realty", realty_data_dir=tmp_path
    )  # type: ignore[call-arg]
    with pytest.raises(DatabaseUnavailable) as error:
        await open_database(settings)
    message = str(error.value)
    assert "Check DATABASE_URL" in message and "\n" not in message
    assert "secret" not in message


def test_two_processes_starting_together_share_one_server(tmp_path: Path) -> None:
    data_dir = tmp_path / "d"
    script = (
        "import sys; from pathlib import Path; from storage.embedded import embedded_database_url; "
        "print(embedded_database_url(Path(sys.argv[1])))"
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", script, str(data_dir)], stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    urls = [p.communicate(timeout=120)[0].strip() for p in procs]
    assert all(p.returncode == 0 for p in procs)
    assert urls[0] == urls[1] and urls[0]
    postmasters = list((data_dir / "pgdata").glob("postmaster.pid"))
    assert len(postmasters) == 1
    from storage.embedded import stop_embedded_server

    stop_embedded_server(data_dir)


def test_realty_db_stop_stops_the_embedded_server_and_says_so_when_none_runs(tmp_path: Path) -> None:
    from storage.embedded import embedded_database_url

    data_dir = tmp_path / "d"
    embedded_database_url(data_dir)
    assert (data_dir / "pgdata" / "postmaster.pid").exists()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {"REALTY_DATA_DIR": str(data_dir)}
    command = [str(Path(sys.executable).parent / "realty"), "db", "stop"]
    first = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    assert "stopped" in first.stdout
    assert not (data_dir / "pgdata" / "postmaster.pid").exists()
    again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert again.returncode == 0 and "was not running" in again.stdout


async def test_concurrent_migrations_do_not_collide(database: Database, settings: Settings) -> None:
    results = await asyncio.gather(*(upgrade(database) for _ in range(3)))
    assert set(results) == {head_revision()}


async def test_the_embedded_server_runs_with_our_memory_settings(database: Database) -> None:
    import os

    from storage.embedded import shared_buffers_mb

    if os.environ.get("REALTY_TEST_DATABASE_URL"):
        pytest.skip("an external server keeps its own settings")
    wanted = shared_buffers_mb()
    assert 128 <= wanted <= 1024
    async with database.engine.connect() as conn:
        in_force = (
            await conn.execute(
                text("SELECT setting::bigint * 8 / 1024 FROM pg_settings WHERE name = 'shared_buffers'")
            )
        ).scalar()
    assert in_force == wanted
