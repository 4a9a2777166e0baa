"""The pure core: scoring, message reading (NLU), policies and the clock. No I/O, no sessions, no settings."""
