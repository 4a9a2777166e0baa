"""The lead's conversation: the sales graph, its tools, the offline and OpenAI models, the lead bot and service."""
