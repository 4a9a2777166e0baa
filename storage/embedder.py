"""What storage needs of an embedder: a name for its vector space and vectors for texts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


class Embedder(Protocol):
    name: str
    """Identifies the vector space; stored in `properties.embedding_model`."""

    async def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """One L2-normalised vector of `EMBEDDING_DIM` floats per text, in order."""
        ...
