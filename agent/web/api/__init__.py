"""The HTTP API under /api/v1: one module per resource, each with its own `router`; JSON via pydantic models,
errors as problem details, cursor pagination."""
