"""The lead sales graph: state, nodes, phases and wiring (`graph.py`), and the turn API (`conversation.py`)."""
