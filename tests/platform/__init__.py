"""What every feature stands on: the database, the layers, the docs, the prompt catalogues, Telegram's limits."""
