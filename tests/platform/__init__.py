"""What every feature stands on: the database, the layers, the docs, the prompts, Telegram's limits."""
