"""What every command shares: running a coroutine with the services open, and one-line errors."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

import typer
from rich.console import Console

T = TypeVar("T")

console = Console()
err_console = Console(stderr=True)

EXIT_UNAVAILABLE = 3


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print a one-line error that says what to do, and return the Exit to raise."""
    err_console.print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(code)


def run(main: Callable[[], Awaitable[T]]) -> T:
    """Run an async command body; database problems become one clear line instead of a traceback."""
    from agent.adapters.crypto import TokenEncryptionKeyMissing, TokenUnreadable
    from agent.cli.logs import configure_logging_from
    from agent.settings import get_settings
    from storage.db import DatabaseUnavailable
    from storage.embedded import EmbeddedServerError

    configure_logging_from(get_settings())
    try:
        return asyncio.run(main())  # type: ignore[arg-type]
    except (DatabaseUnavailable, EmbeddedServerError) as exc:
        raise fail(str(exc), EXIT_UNAVAILABLE) from None
    except (TokenEncryptionKeyMissing, TokenUnreadable) as exc:  # stored tokens need the key
        raise fail(str(exc)) from None
    except KeyboardInterrupt:
        raise typer.Exit(130) from None
