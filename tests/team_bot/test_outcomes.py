"""A rep records won or lost from the team bot: in words ("Tom signed", "Мария отказалась, дорого") or with the
client card's buttons; nothing is recorded before a button press, another rep is refused and audited, and the
lead's follow-ups stop."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from agent.core.clock import FrozenClock
from agent.services.calendars.reminders import Outcome, parse_outcome
from storage.db import Database
from storage.models import FollowUpSend, Lead, RepTask, SalesRepresentative, Tenant, Viewing
from tests.team_bot.team_support import ADMIN, TeamBotUnderTest, new_user
from tests.web.test_agenda_support import add_viewing


async def active_rep(
    bot: TeamBotUnderTest, name: str = "Иван Иванов", email: str | None = None
) -> tuple[int, SalesRepresentative]:
    user = new_user()
    card = await bot.register(user, name=name, **({"email": email} if email else {}))
    await bot.driver.text(ADMIN, "Одобрить", reply_to=card)
    return user, await bot.rep(user)


async def add_lead(
    database: Database,
    tenant: Tenant,
    rep: SalesRepresentative,
    clock: FrozenClock,
    name: str,
    **fields: object,
) -> int:
    """A lead of the rep with one planned follow-up message and one open task of the rep."""
    async with database.session() as session:
        values: dict[str, object] = {"status": "handed_off", "lead_score": 70, "temperature": "hot", **fields}
        lead = Lead(tenant_id=tenant.id, name=name, assigned_rep_id=rep.id, **values)
        session.add(lead)
        await session.flush()
        session.add(
            FollowUpSend(
                tenant_id=tenant.id,
                lead_id=lead.id,
                step_key="seq:1",
                status="pending",
                due_at=clock.now() + timedelta(hours=3),
                text="Still thinking about the villa?",
                created_at=clock.now(),
            )
        )
        session.add(
            RepTask(
                tenant_id=tenant.id, rep_id=rep.id, lead_id=lead.id, due_at=clock.now() + timedelta(days=1)
            )
        )
        return lead.id


async def lead_of(database: Database, lead_id: int) -> Lead:
    async with database.session() as session:
        lead = await session.get(Lead, lead_id, populate_existing=True)
        assert lead is not None
        return lead


async def follow_ups_of(database: Database, lead_id: int) -> tuple[list[str], list[bool]]:
    """The statuses of the lead's planned sends, and whether each of its tasks is done."""
    async with database.session() as session:
        sends = (
            await session.execute(select(FollowUpSend.status).where(FollowUpSend.lead_id == lead_id))
        ).scalars()
        tasks = (await session.execute(select(RepTask.done_at).where(RepTask.lead_id == lead_id))).scalars()
        return list(sends), [done is not None for done in tasks]


async def test_tom_signed_in_english_asks_to_confirm_then_records_won_and_stops_his_follow_ups(
    bot: TeamBotUnderTest, database: Database, tenant: Tenant, clock: FrozenClock
) -> None:
    user, rep = await active_rep(bot)
    tom = await add_lead(database, tenant, rep, clock, "Tom Baker")
    await add_lead(database, tenant, rep, clock, "Anna Lee")

    asked = await bot.driver.text(user, "Tom signed", language_code="en")
    assert asked[-1].text == "Mark Tom Baker as won (rented / signed)?"
    assert (await lead_of(database, tom)).status == "handed_off"  # nothing recorded before the press

    done = await bot.driver.press(user, asked[-1], "Yes, record it", language_code="en")
    assert done[-1].text.startswith("🏆 Tom Baker: won (rented / signed).")
    assert "1 planned message(s) cancelled, 1 task(s) closed" in done[-1].text
    lead = await lead_of(database, tom)
    assert (lead.status, lead.outcome_reason, lead.outcome_at) == ("won", "signed", clock.now())
    assert await follow_ups_of(database, tom) == (["cancelled"], [True])
    [entry] = await bot.audit("lead.outcome")
    assert entry.allowed and entry.actor_telegram_id == user and entry.target == f"lead:{tom}"
    assert entry.created_at == clock.now() and str(rep.id) in (entry.detail or "")


async def test_maria_refused_because_of_the_price_in_russian_records_lost_price_with_the_note(
    bot: TeamBotUnderTest, database: Database, tenant: Tenant, clock: FrozenClock
) -> None:
    user, rep = await active_rep(bot)
    maria = await add_lead(database, tenant, rep, clock, "Мария Иванова")

    asked = await bot.driver.text(user, "Мария отказалась, дорого")
    assert asked[-1].text == "Отметить отказ: Мария Иванова (цена)?"
    await bot.driver.press(user, asked[-1], "Да, записать")

    lead = await lead_of(database, maria)
    assert (lead.status, lead.outcome_reason, lead.outcome_note) == ("lost", "price", "дорого")
    assert "lost (price): дорого" in (lead.notes or "")


async def test_a_name_two_clients_share_is_asked_about_and_an_unknown_one_is_said_so(
    bot: TeamBotUnderTest, database: Database, tenant: Tenant, clock: FrozenClock
) -> None:
    user, rep = await active_rep(bot)
    first = await add_lead(database, tenant, rep, clock, "Мария Иванова")
    await add_lead(database, tenant, rep, clock, "Мария Петрова")

    which = await bot.driver.text(user, "Мария купила")
    assert which[-1].text == "Какой клиент имеется в виду?"
    assert [b["text"] for b in which[-1].buttons()][:2] == ["Мария Иванова", "Мария Петрова"]
    confirm = await bot.driver.press(user, which[-1], "Мария Иванова")
    assert confirm[-1].text == "Отметить сделку с Мария Иванова (купил(а))?"
    await bot.driver.press(user, confirm[-1], "Да, записать")
    assert (await lead_of(database, first)).status == "won"

    unknown = await bot.driver.text(user, "Пётр купил")
    assert unknown[-1].text.startswith("Не нахожу клиента «Пётр» среди ваших.")

    # A question or a lower-case word is no client's name: the conversation answers it, not the outcome desk.
    for words in ("who signed this week?", "show lost leads", "кто купил на этой неделе?"):
        answered = await bot.driver.text(user, words)
        assert answered and not any("Не нахожу клиента" in m.text for m in answered), words


async def test_the_card_buttons_record_lost_with_a_reason_and_reopen_clears_it(
    bot: TeamBotUnderTest, database: Database, tenant: Tenant, clock: FrozenClock
) -> None:
    user, rep = await active_rep(bot)
    boris = await add_lead(database, tenant, rep, clock, "Борис")

    book = await bot.driver.text(user, "Мои клиенты")
    card = await bot.driver.press(user, book[-1], "Борис")
    reasons = await bot.driver.press(user, card[-1], "Отказ")
    assert reasons[-1].text == "✖️ Борис: отказ. Почему?"
    labels = [b["text"] for b in reasons[-1].buttons()]
    assert labels[:3] == ["цена", "не подошёл район или объект", "финансирование"] and "Без причины" in labels
    done = await bot.driver.press(user, reasons[-1], "финансирование")
    assert done[-1].text.startswith("✖️ Борис: отказ (финансирование).")
    lead = await lead_of(database, boris)
    assert (lead.status, lead.outcome_reason) == ("lost", "financing")
    assert await follow_ups_of(database, boris) == (["cancelled"], [True])

    reopened = await bot.driver.press(user, done[-1], "Вернуть в работу")
    assert reopened[-1].text == "↩️ Борис снова в работе (передан менеджеру)."
    lead = await lead_of(database, boris)
    assert (lead.status, lead.outcome_at, lead.outcome_reason) == ("handed_off", None, None)
    assert [e.allowed for e in await bot.audit("lead.reopen")] == [True]


async def test_another_rep_pressing_the_button_is_refused_audited_and_changes_nothing(
    bot: TeamBotUnderTest, database: Database, tenant: Tenant, clock: FrozenClock
) -> None:
    owner, rep = await active_rep(bot)
    other, _ = await active_rep(bot, name="Пётр Петров", email="petr@truerealestate.bali")
    tom = await add_lead(database, tenant, rep, clock, "Tom Baker")

    asked = await bot.driver.text(owner, "Tom bought the villa", language_code="en")
    # a press by someone else (a forwarded or shared card) is answered in the chat it was pressed in
    await bot.driver.press(other, asked[-1], "Yes, record it", language_code="en")
    refused = bot.api.last_sent(chat_id=owner).text
    assert refused == "Only the client's rep or an admin of the agency can record how the deal ended."
    assert (await lead_of(database, tom)).status == "handed_off"
    assert await follow_ups_of(database, tom) == (["pending"], [False])
    [entry] = await bot.audit("lead.outcome")
    assert (entry.allowed, entry.actor_telegram_id, entry.tenant_id) == (False, other, tenant.id)
    assert entry.target == f"lead:{tom}" and "not_their_client" in (entry.detail or "")

    # the other rep's own words about Tom are not an outcome: Tom is no client of theirs
    await bot.driver.text(other, "Tom signed", language_code="en")
    assert (await lead_of(database, tom)).status == "handed_off"
    assert len(await bot.audit("lead.outcome")) == 1


async def test_an_admin_may_record_the_outcome_of_any_lead_of_the_agency(
    bot: TeamBotUnderTest, database: Database, tenant: Tenant, clock: FrozenClock
) -> None:
    owner, rep = await active_rep(bot)
    tom = await add_lead(database, tenant, rep, clock, "Tom Baker")
    asked = await bot.driver.text(owner, "Tom signed", language_code="en")
    await bot.driver.press(ADMIN, asked[-1], "Yes, record it", language_code="en")  # a card shown to them
    assert (await lead_of(database, tom)).status == "won"
    [entry] = await bot.audit("lead.outcome")
    assert entry.allowed and entry.actor_telegram_id == ADMIN and f"telegram:{ADMIN}" in (entry.detail or "")


async def test_made_an_offer_after_a_viewing_hands_the_lead_off_with_urgency_and_one_tap_marks_it_won(
    bot: TeamBotUnderTest, database: Database, tenant: Tenant, clock: FrozenClock
) -> None:
    user, rep = await active_rep(bot)
    tom = await add_lead(database, tenant, rep, clock, "Tom Baker", status="viewing_scheduled")
    viewing_id = await add_viewing(database, rep, tom, clock.now() - timedelta(hours=2))

    answered = await bot.driver.text(user, "Клиент сделал предложение!")
    assert answered[-2].text == "Спасибо, записал для Tom Baker: сделал предложение."
    assert answered[-1].text.startswith("Tom Baker сделал(а) предложение.")
    lead = await lead_of(database, tom)
    assert (lead.status, lead.urgency_mentions) == ("handed_off", 2)
    async with database.session() as session:  # the learned score reads the viewing's outcome per lead
        outcomes = (await session.execute(select(Viewing.outcome).where(Viewing.lead_id == tom))).scalars()
        assert list(outcomes) == ["made_offer"]
        assert (await session.get(Viewing, viewing_id)) is not None

    done = await bot.driver.press(user, answered[-1], "Отметить сделку: купил(а)")
    assert done[-1].text.startswith("🏆 Tom Baker: сделка (купил(а)).")
    lead = await lead_of(database, tom)
    assert (lead.status, lead.outcome_reason) == ("won", "bought")


def test_the_offer_is_read_in_every_language() -> None:
    for said in ("made an offer", "Клиент сделал предложение", "مشتری پیشنهاد داد", "قدّم عرضًا جيدًا"):
        assert parse_outcome(said) is Outcome.MADE_OFFER, said
    assert parse_outcome("not interested") is Outcome.NOT_INTERESTED
