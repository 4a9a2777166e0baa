"""Telegram: one sending bot and one rate limiter per token (`outbound`, `pacing`), messages with signed
buttons (`sender`), Telegram's limits and the inbound flood guard (`limits`)."""
