"""The rate limiter of one bot token: PTB's `AIORateLimiter`, paced without a burst.

Telegram allows a bot about 30 messages a second and 20 a minute in one group. `AIORateLimiter`'s
default lets a burst of 30 through at once and 30 more within the same second; paced at one request per
1/30 s, no second ever holds more than 30. The limiter itself never retries a RetryAfter: the follow-up
dispatcher decides what a flood wait means for a ledger row (wait briefly, or give the row back), while
a bot Application waits it out a few times (`RetryingLimiter`), halting the token's other requests meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from telegram.ext import AIORateLimiter, BaseRateLimiter

JSONDict = dict[str, Any]


def bot_limiter(per_second: int) -> AIORateLimiter:
    """One request per 1/`per_second` s for messages to chats, PTB's 20 a minute per group; no retries."""
    return AIORateLimiter(overall_max_rate=1, overall_time_period=1 / per_second, max_retries=0)


class RetryingLimiter(BaseRateLimiter[int]):
    """A token's shared limiter as a bot Application uses it: a RetryAfter is waited out `retries` times."""

    def __init__(self, shared: AIORateLimiter, retries: int) -> None:
        self.shared = shared
        self.retries = retries

    async def initialize(self) -> None:
        """Nothing to open: the shared limiter lives as long as the process's services."""

    async def shutdown(self) -> None:
        """Nothing to close (see `initialize`)."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | JSONDict | list[JSONDict]:
        retries = self.retries if rate_limit_args is None else rate_limit_args
        return await self.shared.process_request(callback, args, kwargs, endpoint, data, retries)
