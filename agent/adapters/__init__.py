"""The outside world: chat models (and the offline model), embeddings, the checkpointer, Telegram outbound,
Google, Zoom, .ics, SMTP and WhatsApp channels, token encryption. Adapters never import services."""
