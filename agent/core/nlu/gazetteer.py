"""Areas named in a message, mapped to the tenant's own catalog names ("Семиньяке" -> "Seminyak")."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from itertools import pairwise

from agent.core.nlu.lexicon import EITHER_OR, LEFT, RIGHT, key, terms

# Spellings leads actually use for well-known Bali areas, in Russian, Persian and Arabic. Only the
# entries whose canonical name is in the tenant's catalog are used.
BUILTIN_ALIASES: Mapping[str, tuple[str, ...]] = {
    "Bali": terms("Бали|بالی|بالي"),
    "Canggu": terms("Changgu|Chaggu|Чангу|Чанггу|Кангу|چنگو|چانگو|کانگو|تشانغو|تشانجو|كانغو|كانجو"),
    "Seminyak": terms("Semenyak|Семиньяк|Семиняк|سمینیاک|سمینیک|سمينياك|سيمينياك"),
    "Ubud": terms("Убуд|اوبود|أوبود|اوبد"),
    "Uluwatu": terms("Ulu Watu|Улувату|اولواتو|أولواتو"),
    "Sanur": terms("Санур|سانور"),
    "Nusa Dua": terms("Нуса Дуа|نوسا دوا|نوسا دوآ"),
    "Nusa Penida": terms("Нуса Пенида|نوسا پنیدا|نوسا بينيدا"),
    "Jimbaran": terms("Джимбаран|Жимбаран|جیمباران|جيمباران"),
    "Kuta": terms("Кута|کوتا|كوتا"),
    "Legian": terms("Легиан|لگیان|ليجيان"),
    "Pererenan": terms("Переренан|پررنان|بيريرينان"),
    "Berawa": terms("Берава|براوا|بيراوا"),
    "Umalas": terms("Умалас|اومالاس|أومالاس"),
    "Kerobokan": terms("Керобокан|کروبوکان|كيروبوكان"),
    "Bukit": terms("Букит|بوکیت|بوكيت"),
    "Tabanan": terms("Табанан|تابانان"),
    "Denpasar": terms("Денпасар|دنپاسار|دنباسار"),
    "Lovina": terms("Ловина|لووینا|لوفينا"),
    "Munggu": terms("Мунггу|Мунгу"),
    "Bingin": terms("Бингин"),
    "Amed": terms("Амед"),
}
_FUZZY_CUTOFF = 0.82
_FUZZY_MIN_LENGTH = 5
_FUZZY_MAX_TOKENS = 300
# Russian declines names ("в Семиньяке", "из Убуда"); Arabic glues prepositions on ("بأوبود").
_RU_ENDINGS = r"(?:е|а|у|ом|ой|и|ы)?"
_AR_PREFIXES = r"(?:[وبلف](?=[\u0600-\u06ff]))?"
_WORD = re.compile(r"[^\W\d_]+")


def _match_key(text: str) -> str:
    """key() plus Latin accents dropped, so "San José" and "san jose" meet."""
    decomposed = unicodedata.normalize("NFKD", key(text))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped)


class Gazetteer:
    """Finds catalog areas in free text, by exact alias first and by close spelling second."""

    def __init__(self, areas: Iterable[str], aliases: Mapping[str, Iterable[str]] | None = None) -> None:
        self.areas: tuple[str, ...] = tuple(dict.fromkeys(area.strip() for area in areas if area.strip()))
        builtin = {_match_key(name): spellings for name, spellings in BUILTIN_ALIASES.items()}
        extra = {_match_key(name): tuple(spellings) for name, spellings in (aliases or {}).items()}
        self._canonical: dict[str, str] = {}
        for area in self.areas:
            area_key = _match_key(area)
            for spelling in (area, *builtin.get(area_key, ()), *extra.get(area_key, ())):
                spelling_key = _match_key(spelling)
                if spelling_key:
                    self._canonical.setdefault(spelling_key, area)
                    self._canonical.setdefault(spelling_key.replace(" ", ""), area)
        spellings = sorted(self._canonical, key=len, reverse=True)
        alternation = "|".join(re.escape(s).replace(r"\ ", r"\s*") for s in spellings)
        self._exact = (
            re.compile(rf"{LEFT}{_AR_PREFIXES}(?P<name>{alternation}){_RU_ENDINGS}{RIGHT}")
            if spellings
            else None
        )
        self._fuzzy_keys = [s for s in self._canonical if " " not in s and len(s) >= _FUZZY_MIN_LENGTH - 1]

    def match(self, text: str) -> str | None:
        """The first catalog area the text names, or None."""
        folded = _match_key(text)
        if self._exact is not None and (found := self._exact.search(folded)):
            return self._canonical[re.sub(r"\s+", "", found.group("name"))]
        return self._fuzzy(folded)

    def match_all(self, text: str) -> list[str]:
        """The catalog areas the text names as alternatives ("Canggu or Seminyak"), first one first; [] for none.

        A further area counts only when named as an alternative to the one before it, so "I live in Seminyak,
        looking in Canggu" keeps Seminyak first and alone (the single-area reading is `match`).
        """
        folded = _match_key(text)
        found: list[str] = []
        last_end = -1
        for hit in self._exact.finditer(folded) if self._exact is not None else ():
            area = self._canonical[re.sub(r"\s+", "", hit.group("name"))]
            if found and not EITHER_OR.match(folded[last_end : hit.start()]):
                break
            if area not in found:
                found.append(area)
            last_end = hit.end()
        if not found and (single := self._fuzzy(folded)):
            found.append(single)
        return found

    def _fuzzy(self, folded: str) -> str | None:
        words = [m.group() for m in _WORD.finditer(folded)][:_FUZZY_MAX_TOKENS]
        candidates = words + [a + b for a, b in pairwise(words)]
        for candidate in candidates:
            if len(candidate) < _FUZZY_MIN_LENGTH:
                continue
            same_start = [s for s in self._fuzzy_keys if s[0] == candidate[0]]
            close = difflib.get_close_matches(candidate, same_start, n=1, cutoff=_FUZZY_CUTOFF)
            if close:
                return self._canonical[close[0]]
        return None
