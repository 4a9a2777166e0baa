"""A rep's sentence about how a deal ended is read in en, ru, fa and ar: who, won or lost, the reason the words
give, the rest as a note; sentences about nobody in particular, or about something else, are not."""

from __future__ import annotations

import pytest

from agent.core.nlu.outcomes import OutcomeStatement, guess_reason, read_outcome


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        ("Tom signed", OutcomeStatement("Tom", "won", "signed", None)),
        ("Tom bought the villa", OutcomeStatement("Tom", "won", "bought", "the villa")),
        ("Tom lost — price", OutcomeStatement("Tom", "lost", "price", "price")),
        ("lost Tom — price", OutcomeStatement("Tom", "lost", "price", "price")),
        ("my client Tom went with another agency", OutcomeStatement("Tom", "lost", "other_agency", None)),
        ("Tom bought elsewhere", OutcomeStatement("Tom", "lost", "other_agency", None)),
        ("Мария купила", OutcomeStatement("Мария", "won", "bought", None)),
        ("Мария отказалась, дорого", OutcomeStatement("Мария", "lost", "price", "дорого")),
        ("Мария не купила", OutcomeStatement("Мария", "lost", None, None)),
        ("Клиент Иван Петров подписал договор", OutcomeStatement("Иван Петров", "won", "signed", "договор")),
        (
            "Анна отказалась, ипотеку не дали",
            OutcomeStatement("Анна", "lost", "financing", "ипотеку не дали"),
        ),
        ("تام خرید", OutcomeStatement("تام", "won", "bought", None)),
        ("مریم منصرف شد، گران بود", OutcomeStatement("مریم", "lost", "price", "گران بود")),
        ("توم اشترى", OutcomeStatement("توم", "won", "bought", None)),
        ("مريم رفضت، السعر غالي", OutcomeStatement("مريم", "lost", "price", "السعر غالي")),
    ],
)
def test_a_statement_is_read_with_its_reason_and_note(said: str, expected: OutcomeStatement) -> None:
    assert read_outcome(said) == expected


@pytest.mark.parametrize(
    "said",
    [
        "Мои клиенты",
        "Привет",
        "Someone bought it last week",
        "Он купил",
        "I lost my phone",
        "Ivan signed up yesterday",
        "подписал",
        " ".join(["Tom bought"] + ["word"] * 20),
    ],
)
def test_other_sentences_are_not_outcomes(said: str) -> None:
    assert read_outcome(said) is None


def test_a_won_deal_has_no_loss_reason_to_guess() -> None:
    assert guess_reason("too expensive", "lost") == "price"
    assert guess_reason("too expensive", "won") is None
    assert guess_reason("будут думать в следующем году", "lost") == "timing"
