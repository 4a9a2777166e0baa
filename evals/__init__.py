"""Evals: YAML suites of scripted conversations, played through the bots and graded (see evals/README.md)."""
