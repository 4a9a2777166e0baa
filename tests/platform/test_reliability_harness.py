"""The reliability harness's own parts (bench/reliability): the fuzz is replayable and covers every category,
its expected profiles are real contact data, and the log scanner finds secrets in any written form."""

from __future__ import annotations

from collections import Counter

import phonenumbers

from bench.reliability.hostile import (
    CATEGORIES,
    HUGE_CHARS,
    PERSIAN_DIGITS,
    make_leads,
    make_others,
    opening,
    plan,
)
from bench.reliability.logscan import Scanner, Secrets


def test_the_same_seed_gives_the_same_fuzz_and_another_seed_another() -> None:
    first = plan(13, 200, 25)
    assert first == plan(13, 200, 25)
    assert [h.text for _, hs in first for h in hs] != [h.text for _, hs in plan(14, 200, 25) for h in hs]
    assert sum(len(hostiles) for _, hostiles in first) == 200 and len(first) == 8


def test_every_category_is_sent_and_only_budget_like_text_may_change_a_field() -> None:
    hostiles = [h for _, hs in plan(13, 400, 50) for h in hs]
    seen = Counter(h.category for h in hostiles)
    assert set(seen) == set(CATEGORIES)
    assert {h.category for h in hostiles if h.may_change} == {"budget_like_phone"}
    assert all(h.may_change == {"budget"} for h in hostiles if h.may_change)
    assert max(len(h.text) for h in hostiles if h.category == "huge_100k") == HUGE_CHARS
    assert any("\x00" in h.text for h in hostiles)


def test_fuzz_leads_have_unique_valid_contacts_that_no_hostile_text_reuses() -> None:
    leads = make_leads(13, 100)
    others = make_others(13)
    assert len({lead.identity.phone for lead in leads}) == 100
    assert len({lead.surname for lead in leads}) == 100
    assert all(phonenumbers.is_valid_number(phonenumbers.parse(lead.identity.phone)) for lead in leads)
    own = {lead.identity.email for lead in leads} | {lead.identity.national_digits for lead in leads}
    assert not own & ({o.email for o in others} | {o.national_digits for o in others})
    lines = opening(leads[0])
    assert leads[0].identity.phone in lines[3] and leads[0].identity.email in lines[4]


def test_the_log_scanner_finds_tokens_phones_in_any_digits_and_emails_and_shows_none_of_them() -> None:
    token = "1234567890:AAabcdefghijklmnopqrstuvwxyz0123456"
    secrets = Secrets(tokens=[token], phones=["8123456789"], emails=["mira.vor@fuzzmail.example"])
    scanner = Scanner(secrets)
    persian = "0812 345 6789".translate(PERSIAN_DIGITS)
    lines = {
        f"POST http://x/bot{token}/getMe": "bot_token_or_api_key",
        "text='call +62 812-3456-789.'": "phone",
        f"text='شماره {persian}'": "phone",
        "Mira.Vor@FuzzMail.example wrote": "email",
        "refresh_token=1//0abcdefghijklmnop": "oauth_field",
    }
    for line, kind in lines.items():
        found = scanner.line(line)
        assert kind in {k for k, _, _ in found}, line
    clean = "INFO bot: update 1796616383851 at 2026-12-31 23:59 for <phone> <email> <bot-token>"
    assert scanner.line(clean) == []
