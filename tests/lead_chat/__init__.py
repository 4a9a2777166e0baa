"""The lead's conversation: the sales graph and its tools, the offline and OpenAI models, the lead bot."""
