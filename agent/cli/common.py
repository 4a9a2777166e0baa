"""What every command shares: running a coroutine with the services open, and one-line errors."""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import signal
import sys
import threading
from collections.abc import Awaitable, Callable
from typing import TypeVar

import typer
from rich.console import Console

T = TypeVar("T")

console = Console()
err_console = Console(stderr=True)

EXIT_UNAVAILABLE = 3

log = logging.getLogger(__name__)


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived before the command installed its own handler (while starting): stop as on Ctrl+C."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated()


def realty_command() -> str:
    """How the operator runs `realty` from their shell: `realty` when it is on their PATH, else `uv run realty`.

    `uv run` puts the project's environment first on PATH for its child only, so that entry does not count.
    """
    path = os.environ.get("PATH", "")
    if os.environ.get("UV_RUN_RECURSION_DEPTH"):
        ours = os.path.realpath(os.path.dirname(sys.executable))
        path = os.pathsep.join(entry for entry in path.split(os.pathsep) if os.path.realpath(entry) != ours)
    return "realty" if shutil.which("realty", path=path) else "uv run realty"


def runnable(text: str) -> str:
    """`text` with every `realty …` hint written the way this operator can run it (see `realty_command`)."""
    prefix = realty_command()
    return text if prefix == "realty" else text.replace("`realty ", f"`{prefix} ")


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print a one-line error that says what to do, and return the Exit to raise."""
    from agent.core.redaction import redact  # an error may quote a URL with its password, or a token

    message = redact(message, personal=False)  # what the operator typed (an e-mail, a phone) stays readable
    err_console.print(f"[bold red]error:[/] {runnable(message)}", highlight=False, soft_wrap=True)
    return typer.Exit(code)


def run(main: Callable[[], Awaitable[T]]) -> T:
    """Run an async command body; database problems become one clear line instead of a traceback."""
    from agent.adapters.crypto import TokenEncryptionKeyMissing, TokenUnreadable
    from agent.cli.logs import configure_logging_from
    from agent.settings import get_settings
    from storage.db import DatabaseUnavailable
    from storage.embedded import EmbeddedServerError

    configure_logging_from(get_settings())
    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminate) if in_main_thread else None
    try:
        return asyncio.run(main())  # type: ignore[arg-type]
    except (DatabaseUnavailable, EmbeddedServerError) as exc:
        raise fail(str(exc), EXIT_UNAVAILABLE) from None
    except (TokenEncryptionKeyMissing, TokenUnreadable) as exc:  # stored tokens need the key
        raise fail(str(exc)) from None
    except Terminated:
        log.info("stopped (SIGTERM while starting)")
        console.print("stopped")
        raise typer.Exit(0) from None
    except KeyboardInterrupt:
        raise typer.Exit(130) from None
    finally:
        if in_main_thread:
            signal.signal(signal.SIGTERM, previous)
