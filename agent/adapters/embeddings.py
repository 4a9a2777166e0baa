"""Text embeddings behind one small interface: an OpenAI-compatible endpoint, or an offline hashing default.

Every vector is `EMBEDDING_DIM` wide and L2-normalised, so cosine distance in pgvector compares any two of
them. `Embedder.name` is stored beside each listing's vector; when the configured embedder's name differs,
the listing is re-embedded (`storage.repositories.listings.reembed_stale`).
"""

from __future__ import annotations

import math
import re
import unicodedata
import zlib
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from agent.core.nlu.text import fold
from storage.embedder import Embedder
from storage.models.base import EMBEDDING_DIM

if TYPE_CHECKING:
    import httpx

    from agent.settings import Settings


class EmbeddingError(RuntimeError):
    """The embeddings provider failed or answered something unusable; the message says what to check."""


def fit_dimensions(vector: Sequence[float], dim: int = EMBEDDING_DIM) -> list[float]:
    """Truncate (Matryoshka-style) or zero-pad to `dim`, then L2-normalise."""
    fitted = [float(x) for x in vector[:dim]]
    fitted.extend(0.0 for _ in range(dim - len(fitted)))
    norm = math.sqrt(sum(x * x for x in fitted))
    if norm == 0.0 or not math.isfinite(norm):
        raise EmbeddingError("the embeddings provider returned a zero or non-finite vector")
    return [x / norm for x in fitted]


# ---------------------------------------------------------------------------------------------------------
# Offline default: signed feature hashing of words and character n-grams.

_TOKEN = re.compile(r"\w+")

# Function words that would otherwise make every text look alike.
_STOPWORDS = frozenset(
    "a an and are at be by for from has have in is it its near of on or the this to with "
    "в во и на с со у к по для от из за это как или но а "
    "با و در از به که را این آن یک برای "
    "في من على مع و".split()
)

# A small bilingual glossary of listing vocabulary: a Russian, Persian or Arabic word that starts with a stem
# also emits the English concept, so "вилла у океана" and "ویلا با استخر" land near English listings.
_GLOSSARY: dict[str, tuple[str, ...]] = {
    "villa": ("вилл", "ویلا", "فیلا", "فلل"),
    "apartment": ("апартамент", "квартир", "آپارتمان", "شقه", "شقق"),
    "townhouse": ("таунхаус",),
    "house": ("дом", "خانه", "منزل", "بیت"),
    "land": ("участ", "земл", "زمین", "ارض", "أرض"),
    "pool": ("бассейн", "استخر", "مسبح"),
    "ocean": ("океан", "اقیانوس", "محیط"),
    "sea": ("мор", "دریا", "بحر"),
    "beach": ("пляж", "побереж", "ساحل", "شاطئ", "شاط"),
    "view": ("вид", "منظره", "چشم", "اطلاله", "إطلاله"),
    "quiet": ("тих", "спокойн", "آرام", "ساکت", "هادئ", "هاد"),
    "bedroom": ("спальн", "خواب", "غرفه", "غرف"),
    "garden": ("сад", "باغ", "حدیقه"),
    "rent": ("аренд", "снять", "сдач", "اجاره", "ایجار", "إیجار"),
    "sale": ("продаж", "купить", "покупк", "خرید", "فروش", "بیع", "شراء"),
    "rice": ("рис", "شالیزار", "برنج"),
    "jungle": ("джунгл", "جنگل"),
    "surf": ("серф", "сёрф", "موج"),
    "family": ("семь", "дет", "خانواده", "عائله"),
    "investment": ("инвест", "سرمایه", "استثمار"),
    "new": ("нов", "جدید"),
    "furnished": ("мебел", "مبله", "مفروش"),
    "pets": ("животн", "питом", "حیوان"),
    "canggu": ("чангу", "чангы", "چانگو"),
    "seminyak": ("семиньяк", "سمینیاک"),
    "ubud": ("убуд", "اوبود"),
    "uluwatu": ("улувату", "اولواتو"),
    "sanur": ("санур", "سانور"),
}


def _normalise(text: str) -> str:
    """NFKC, case-folded, accents dropped, Arabic/Persian letters folded as the NLU folds them (`fold`).

    A zero-width non-joiner goes first: a Persian word joined by one ("می‌خواهم") stays one word here.
    """
    text = unicodedata.normalize("NFKC", text).casefold().replace("\u200c", "")
    text = "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))
    return fold(unicodedata.normalize("NFC", text))


@lru_cache(maxsize=1)
def _glossary_index() -> dict[str, list[tuple[str, str]]]:
    index: dict[str, list[tuple[str, str]]] = {}
    for concept, stems in _GLOSSARY.items():
        for stem in stems:
            stem = _normalise(stem)
            index.setdefault(stem[0], []).append((stem, concept))
    return index


def _concepts(token: str) -> list[str]:
    found = []
    for candidate in (token, token[2:] if token.startswith("ال") else ""):
        for stem, concept in _glossary_index().get(candidate[:1], ()):
            if candidate.startswith(stem) and concept != token:
                found.append(concept)
    return found


def _bucket(feature: str, dim: int) -> tuple[int, float]:
    h = zlib.crc32(feature.encode("utf-8"))
    return h % dim, (1.0 if h & 0x8000_0000 else -1.0)


@lru_cache(maxsize=100_000)
def _word_features(word: str, dim: int) -> tuple[tuple[int, float], ...]:
    """The word itself (weight 1) plus its 2-4 character n-grams (weights summing to a unit norm)."""
    padded = f"<{word}>"
    grams = [padded[i : i + n] for n in (2, 3, 4) for i in range(len(padded) - n + 1)]
    weight = 1.0 / math.sqrt(len(grams))
    features = [_bucket("w:" + word, dim)]
    features += [(index, sign * weight) for index, sign in (_bucket("g:" + gram, dim) for gram in grams)]
    return tuple(features)


class HashingEmbedder:
    """Offline, deterministic, no download: hashed words and character n-grams in any script.

    Shares vocabulary across spellings and inflections ("villa", "villas", "виллу", "виллы") through the
    n-grams, and across languages only through a small glossary of listing words. Good enough to rank a
    catalog by what a lead asked for; an OpenAI-compatible embeddings model does better when configured.
    """

    name = f"hashing-ngram-v1-{EMBEDDING_DIM}"

    def __init__(self, dim: int = EMBEDDING_DIM) -> None:
        self.dim = dim
        if dim != EMBEDDING_DIM:
            self.name = f"hashing-ngram-v1-{dim}"

    def embed_one(self, text: str) -> list[float]:
        vector = [0.0] * self.dim
        for token in _TOKEN.findall(_normalise(text)):
            if token in _STOPWORDS or (len(token) < 2 and not token.isdigit()):
                continue
            for word in (token, *_concepts(token)):
                for index, value in _word_features(word, self.dim):
                    vector[index] += value
        norm = math.sqrt(sum(x * x for x in vector))
        if norm == 0.0:
            # Empty or all-stopword text: a fixed unit vector keeps the contract (normalised, deterministic).
            index, sign = _bucket("empty", self.dim)
            vector[index] = sign
            return vector
        return [x / norm for x in vector]

    async def embed(self, texts: Sequence[str]) -> list[list[float]]:
        return [self.embed_one(text) for text in texts]


# ---------------------------------------------------------------------------------------------------------
# OpenAI-compatible endpoints (OpenAI, Azure-compatible proxies, Ollama, vLLM, OpenRouter...).


class OpenAIEmbedder:
    """`POST {base_url}/embeddings`, batched, with a timeout and bounded retries on transient failures.

    Asks for `dimensions=EMBEDDING_DIM`; an endpoint that rejects the parameter is asked again without it, and
    longer vectors are truncated and renormalised (shorter ones zero-padded, which keeps cosine similarity).
    """

    def __init__(
        self,
        *,
        model: str,
        api_key: str,
        base_url: str | None = None,
        timeout: float = 30.0,
        max_retries: int = 2,
        batch_size: int = 128,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.model = model
        self.name = f"openai:{model}:{EMBEDDING_DIM}"
        self._api_key = api_key
        self._base_url = (base_url or "https://api.openai.com/v1").rstrip("/")
        self._timeout = timeout
        self._max_retries = max_retries
        self._batch_size = batch_size
        self._transport = transport
        self._send_dimensions = True

    async def embed(self, texts: Sequence[str]) -> list[list[float]]:
        import httpx

        if not texts:
            return []
        vectors: list[list[float]] = []
        async with httpx.AsyncClient(
            base_url=self._base_url,
            timeout=self._timeout,
            headers={"Authorization": f"Bearer {self._api_key}"},
            transport=self._transport,
        ) as client:
            for start in range(0, len(texts), self._batch_size):
                batch = [text if text.strip() else " " for text in texts[start : start + self._batch_size]]
                vectors.extend(await self._embed_batch(client, batch))
        return vectors

    async def _embed_batch(self, client: httpx.AsyncClient, batch: list[str]) -> list[list[float]]:
        from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt, wait_exponential

        retrying = AsyncRetrying(
            stop=stop_after_attempt(self._max_retries + 1),
            wait=wait_exponential(multiplier=0.5, max=8),
            retry=retry_if_exception(_is_transient),
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    return await self._post(client, batch)
        except EmbeddingError:
            raise
        except Exception as exc:
            raise EmbeddingError(
                f"embeddings request to {self._base_url} failed ({type(exc).__name__}: {exc}). "
                "Check OPENAI_BASE_URL, OPENAI_API_KEY and REALTY_EMBEDDINGS_MODEL, "
                "or unset REALTY_EMBEDDINGS_MODEL for the offline embedder."
            ) from exc
        raise AssertionError("unreachable")  # pragma: no cover

    async def _post(self, client: httpx.AsyncClient, batch: list[str]) -> list[list[float]]:
        payload: dict[str, object] = {"model": self.model, "input": batch, "encoding_format": "float"}
        if self._send_dimensions:
            payload["dimensions"] = EMBEDDING_DIM
        response = await client.post("/embeddings", json=payload)
        if response.status_code == 400 and self._send_dimensions and "dimension" in response.text.lower():
            self._send_dimensions = False  # endpoint does not take `dimensions`: truncate ourselves
            return await self._post(client, batch)
        response.raise_for_status()
        data = response.json().get("data")
        if not isinstance(data, list) or len(data) != len(batch):
            raise EmbeddingError(
                f"embeddings endpoint {self._base_url} answered without one vector per input"
            )
        ordered = sorted(data, key=lambda item: item.get("index", 0))
        return [fit_dimensions(item["embedding"]) for item in ordered]


def _is_transient(exc: BaseException) -> bool:
    import httpx

    if isinstance(exc, httpx.HTTPStatusError):
        return exc.response.status_code == 429 or exc.response.status_code >= 500
    return isinstance(exc, httpx.TransportError)


def make_embedder(settings: Settings) -> Embedder:
    """The configured OpenAI-compatible embedder, or the offline hashing embedder."""
    if settings.realty_embeddings_model and settings.openai_api_key is not None and settings.has_model_key:
        return OpenAIEmbedder(
            model=settings.realty_embeddings_model,
            api_key=settings.openai_api_key.get_secret_value(),
            base_url=settings.openai_base_url,
            timeout=settings.model_timeout_seconds,
            max_retries=settings.model_max_retries,
        )
    return HashingEmbedder()
