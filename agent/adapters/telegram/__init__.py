"""Telegram outbound: one sender per bot, message limits and signed callback data."""
