"""The team bot's conversation (rep onboarding, self-service, admin decisions, the rep's CRM) as a graph.

`graphs.onboarding.graph` holds `builder` and `graph`; the team bot compiles `builder` with the
PostgreSQL checkpointer.
"""
