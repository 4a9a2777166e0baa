"""What every job needs, handed out together: database, settings, clock, delivery channels, worker identity."""

from __future__ import annotations

import os
import socket
import uuid
from dataclasses import dataclass, field

from agent.adapters.channels import Channels, channels_from_settings
from agent.core.clock import Clock, SystemClock
from agent.services.provider import Services
from agent.settings import Settings
from storage.db import Database


def new_worker_id() -> str:
    """host:pid:random — what `claimed_by` says, so an operator can tell which process held a row."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


@dataclass
class JobContext:
    database: Database
    settings: Settings
    channels: Channels
    clock: Clock = field(default_factory=SystemClock)
    worker_id: str = field(default_factory=new_worker_id)


def job_context(
    services: Services, *, channels: Channels | None = None, clock: Clock | None = None
) -> JobContext:
    """A job context over the process's services; channels from settings unless a test passes its own."""
    return JobContext(
        database=services.database,
        settings=services.settings,
        channels=channels or channels_from_settings(services.settings),
        clock=clock or services.clock,
    )
