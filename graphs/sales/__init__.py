"""The lead sales graph: state, context, nodes (one module each), phases and prompting, wired in `graph.py`;
the turn API the bots, the CLI and the evals call is `conversation.py`."""
