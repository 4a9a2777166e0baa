"""The catalog: importing listing files, the demo seed, and hybrid search."""
