"""Every text a lead, a rep or an admin reads is in prompts/, in all four languages, with the same placeholders."""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path
from string import Formatter

import pytest

from prompts import LANGUAGES, text
from prompts.catalogue import AREAS, Area, area_module, templates
from prompts.vocabulary import counting

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = [language for language in LANGUAGES if language != "en"]
SCRIPTS = {"ru": re.compile(r"[А-Яа-яЁё]"), "fa": re.compile(r"[؀-ۿ]"), "ar": re.compile(r"[؀-ۿ]")}
FOREIGN_SCRIPT = re.compile(r"[А-Яа-яЁё؀-ۿ]")
SENTENCE = re.compile(r"[^\W\d_]{2,}\W*\s\W*[^\W\d_]{2,}\W*\s\W*[^\W\d_]{2,}")
"""Three words in a row, in any script."""

PACKAGES = ("agent", "tools", "graphs", "bot")
# What no lead, rep or admin reads, so it stays outside prompts/ (log lines, exception messages and docstrings
# are skipped everywhere). Operators' texts are out of the scope of issue 11, section 6.
NOT_FOR_READERS = (
    # words and patterns that read what a lead or a rep wrote (the NLU), and the letters they fold; the
    # calendar modules also keep the ledger's notes on why a message was dropped
    "agent/core/nlu/",
    "agent/core/reading.py",
    "agent/core/scoring.py",
    "agent/adapters/embeddings.py",
    "agent/services/leads/preferences.py",
    "agent/services/calendars/conversation.py",
    "agent/services/calendars/reminders.py",
    "graphs/onboarding/intents.py",
    "graphs/sales/conversation.py",
    # for operators: CLI output, settings help, the ledger's and the audit's notes, the key hint, API errors
    "agent/cli/",
    "agent/settings.py",
    "agent/services/jobs/dispatch.py",
    "agent/services/jobs/sequences.py",
    "agent/services/leads/intake.py",
    "agent/services/team/authority.py",
    # what `realty tenants|reps|properties` and `realty bot` tell the operator
    "agent/services/agencies/agencies.py",
    "agent/services/agencies/fields.py",
    "agent/services/agencies/listings.py",
    "agent/services/agencies/reps.py",
    "agent/services/agencies/startup.py",
    "agent/adapters/crypto.py",
    "agent/adapters/google.py",
    # data: the demo agency with its catalog and prospects, currency codes, a catalog file's import errors
    "agent/services/catalog/",
)
WORDLESS = sorted(
    path
    for path in (
        p.relative_to(ROOT).as_posix() for package in PACKAGES for p in (ROOT / package).rglob("*.py")
    )
    if not path.startswith(NOT_FOR_READERS)
)


def placeholders(template: str) -> set[str]:
    return {field for _, field, _, _ in Formatter().parse(template) if field is not None}


def area_texts(language: str, area: Area) -> dict[str, str]:
    """All templates of an area: its table, and for the sales area its prompts too."""
    found = dict(templates(language, area))
    module = area_module(language, area)
    found.update({name: value for name, value in vars(module).items() if name.endswith("_PROMPT")})
    return found


@pytest.mark.parametrize("area", AREAS)
@pytest.mark.parametrize("language", TRANSLATIONS)
def test_every_text_exists_in_every_language_with_the_same_placeholders(language: str, area: Area) -> None:
    english = area_texts("en", area)
    translated = area_texts(language, area)
    assert sorted(set(english) - set(translated)) == [], f"missing in {language}"
    assert sorted(set(translated) - set(english)) == [], f"only in {language}"
    for key, template in english.items():
        assert placeholders(translated[key]) == placeholders(template), f"{language} {area}.{key}"


@pytest.mark.parametrize("area", AREAS)
@pytest.mark.parametrize("language", TRANSLATIONS)
def test_a_translation_is_written_in_its_language(language: str, area: Area) -> None:
    """No text was left in English: a translation with Latin letters (a brand, an example) has native words too."""
    for key, template in area_texts(language, area).items():
        words = re.sub(r"\{[^}]*\}", "", template)
        if re.search(r"[A-Za-z]", words):
            assert SCRIPTS[language].search(words), f"{language} {area}.{key} reads {template!r}"


@pytest.mark.parametrize("area", AREAS)
@pytest.mark.parametrize("language", TRANSLATIONS)
def test_every_language_has_the_same_word_lists_and_counted_phrases(language: str, area: Area) -> None:
    """Weekday and month names, and the counted phrases (plural grammar), exist in every language alike."""

    def shape(module_language: str) -> dict[str, object]:
        module = area_module(module_language, area)
        shapes: dict[str, object] = {}
        for name, value in vars(module).items():
            if name.startswith("_"):
                continue
            if isinstance(value, tuple):
                shapes[name] = len(value)
            elif inspect.isfunction(value) and value.__module__ == module.__name__:
                shapes[name] = str(inspect.signature(value))
        return shapes

    english = shape("en")
    assert {name: english[name] for name in shape(language) if name in english} == english


@pytest.mark.parametrize("language", LANGUAGES)
def test_counted_phrases_are_written_for_any_count(language: str) -> None:
    phrases = counting(language)
    for n in range(1, 25):
        assert phrases.bedrooms(n) and phrases.units_left(n) and phrases.recent_bookings(n)


def test_a_language_we_do_not_speak_reads_english() -> None:
    assert text("de", "team", "btn_yes") == "Yes"
    assert text("pt-BR", "calendar", "a_property") == "a property"
    assert text("ru-RU", "calendar", "a_property") == "объект"


def _literals_a_reader_could_see(tree: ast.Module) -> list[str]:
    """The string constants of a module, but docstrings, log lines and exception messages."""
    hidden: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            hidden.add(id(node.value))  # a docstring, also of an attribute
        documented = isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Attribute) and target.attr == "__doc__" for target in node.targets
        )
        logged = (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in {"debug", "info", "warning", "error", "exception"}
        )
        # an exception's message, given to its base class: super().__init__("...")
        described = (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "__init__"
        )
        if documented or logged or described or isinstance(node, ast.Raise):
            hidden.update(id(inner) for inner in ast.walk(node))
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in hidden
    ]


@pytest.mark.parametrize("path", WORDLESS)
def test_no_sentence_for_a_reader_is_left_outside_prompts(path: str) -> None:
    """No words for a reader are left in the code, in any language (docstrings may quote examples)."""
    source = (ROOT / path).read_text(encoding="utf-8")
    literals = _literals_a_reader_could_see(ast.parse(source))
    assert [
        literal for literal in literals if SENTENCE.search(literal) or FOREIGN_SCRIPT.search(literal)
    ] == []
