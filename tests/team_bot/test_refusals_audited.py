"""Every refused team-bot command, typed or pressed, lands in the audit log with its actor, tenant and target."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from agent.core.clock import FrozenClock
from agent.services.provider import Services
from agent.settings import Settings
from bot.approvals import ApprovalCards
from evals.bot_api import ApiCall, BotDriver, FakeTelegramAPI, Updates
from storage.db import Database
from storage.models import AuditLog, Lead, SalesRepresentative, Tenant
from storage.repositories.followups import FollowUpRepository, PlannedSend
from storage.repositories.tenants import TenantRepository
from tests.fakes.realty_bots import TEAM_TOKEN, bot_settings, running_team_bot
from tests.jobs_support import make_lead, make_rep, make_tenant, sends_of
from tests.team_bot.team_support import ADMIN, DOMAIN, TeamBotUnderTest, new_user

REFUSED_RU = "только администраторы"
OTHER_DOMAIN = "other-agency.bali"


async def approved(bot: TeamBotUnderTest, name: str, email: str) -> SalesRepresentative:
    """A new user registers and the admin approves them: an active rep who is no admin."""
    user = new_user()
    card = await bot.register(user, name=name, email=email)
    await bot.driver.text(ADMIN, "Одобрить", reply_to=card)
    rep = await bot.rep(user)
    assert rep.status == "active" and not rep.is_admin
    return rep


async def refusals(database: Database, actor: int) -> list[AuditLog]:
    async with database.session() as session:
        rows = await session.execute(
            select(AuditLog)
            .where(AuditLog.actor_telegram_id == actor, AuditLog.allowed.is_(False))
            .order_by(AuditLog.id)
        )
        return list(rows.scalars())


async def press_forwarded(bot: TeamBotUnderTest, user: int, call: ApiCall, label: str) -> list[ApiCall]:
    """`user` presses a button of a message someone else got (a forwarded card keeps its keyboard)."""
    message: dict[str, Any] = {
        **Updates.sent_message(call),
        "chat": {"id": user, "type": "private", "first_name": "X"},
    }
    data = str(call.button(label)["callback_data"])
    return BotDriver.messages(
        await bot.driver.feed(bot.driver.updates.callback(user, data, message=message)), user
    )


async def test_a_rep_typing_admin_commands_is_refused_and_each_attempt_is_audited_in_their_agency(
    bot: TeamBotUnderTest, tenant: Tenant
) -> None:
    oleg = await approved(bot, "Oleg Petrov", f"oleg@{DOMAIN}")
    anna = await approved(bot, "Anna Smirnova", f"anna@{DOMAIN}")
    intruder = await approved(bot, "Ivan Ivanov", f"ivan@{DOMAIN}")
    pending = new_user()
    await bot.register(pending, name="Petr Sidorov", email=f"petr@{DOMAIN}")

    for command in ("promote Oleg", "suspend Anna", "list pending applications"):
        answer = await bot.driver.text(intruder.telegram_id, command)
        assert REFUSED_RU in answer[-1].text, command

    rows = await refusals(bot.database, intruder.telegram_id)
    assert [(r.action, r.tenant_id, r.target) for r in rows] == [
        ("rep.promote", tenant.id, str(oleg.id)),
        ("rep.suspend", tenant.id, str(anna.id)),
        ("rep.list", tenant.id, "pending"),
    ]
    assert (await bot.rep(oleg.telegram_id)).is_admin is False
    assert (await bot.rep(anna.telegram_id)).status == "active"
    assert (await bot.rep(pending)).status == "pending"


async def test_a_pending_applicant_saying_approve_is_refused_and_audited_on_their_own_application(
    bot: TeamBotUnderTest, tenant: Tenant
) -> None:
    applicant = new_user()
    await bot.register(applicant)
    answer = await bot.driver.text(applicant, "approve", language_code="en")
    assert "Only admins" in answer[-1].text
    rep = await bot.rep(applicant)
    assert rep.status == "pending"
    [row] = await refusals(bot.database, applicant)
    assert (row.action, row.tenant_id, row.target) == ("rep.approve", tenant.id, str(rep.id))

    # Taking the application back still works: "withdraw" is the applicant's own word, not a decision.
    await bot.driver.text(applicant, "withdraw", language_code="en")
    assert (await bot.rep(applicant)).status == "removed"


async def test_a_stranger_approving_points_at_the_one_waiting_application_and_its_agency(
    bot: TeamBotUnderTest, tenant: Tenant
) -> None:
    applicant, stranger = new_user(), new_user()
    await bot.register(applicant)
    answer = await bot.driver.text(stranger, "Одобрить")
    assert REFUSED_RU in answer[-1].text
    [row] = await refusals(bot.database, stranger)
    target = await bot.rep(applicant)
    assert (row.action, row.tenant_id, row.target) == ("rep.approve", tenant.id, str(target.id))


async def test_a_stranger_naming_nobody_known_is_audited_without_inventing_a_tenant_or_target(
    bot: TeamBotUnderTest,
) -> None:
    stranger = new_user()
    answer = await bot.driver.text(stranger, "suspend Nobody Known")
    assert REFUSED_RU in answer[-1].text
    [row] = await refusals(bot.database, stranger)
    assert (row.action, row.tenant_id, row.target) == ("rep.suspend", None, None)
    assert row.detail is not None and "Nobody Known" in row.detail


async def test_small_talk_with_team_words_is_not_taken_for_an_admin_command(bot: TeamBotUnderTest) -> None:
    stranger = new_user()
    for said in ("Хочу в вашу команду", "I'm from the sales team"):
        answer = await bot.driver.text(stranger, said)
        assert REFUSED_RU not in answer[-1].text and "Only admins" not in answer[-1].text, said
    assert await refusals(bot.database, stranger) == []


async def test_pressed_admin_buttons_are_refused_and_audited_with_tenant_and_target(
    bot: TeamBotUnderTest, tenant: Tenant
) -> None:
    anna = await approved(bot, "Anna Smirnova", f"anna@{DOMAIN}")
    intruder = await approved(bot, "Ivan Ivanov", f"ivan@{DOMAIN}")
    applicant = new_user()
    card = await bot.register(applicant, name="Petr Sidorov", email=f"petr@{DOMAIN}")

    team_list = await bot.driver.text(ADMIN, "Активные менеджеры")
    menu = await bot.driver.text(ADMIN, "Привет")

    suspend = await press_forwarded(bot, intruder.telegram_id, team_list[-1], "⏸ Anna")
    decide = await press_forwarded(bot, intruder.telegram_id, card, "Одобрить")
    listing = await press_forwarded(bot, intruder.telegram_id, menu[-1], "Заявки")
    for answer in (suspend, decide, listing):
        assert REFUSED_RU in answer[-1].text

    pending = await bot.rep(applicant)
    rows = await refusals(bot.database, intruder.telegram_id)
    assert [(r.action, r.tenant_id, r.target) for r in rows] == [
        ("rep.suspend", tenant.id, str(anna.id)),
        ("rep.approve", tenant.id, str(pending.id)),
        ("rep.list", tenant.id, "pending"),
    ]
    assert (await bot.rep(anna.telegram_id)).status == "active" and pending.status == "pending"


async def test_a_tampered_button_and_a_set_admin_by_a_rep_are_audited_in_their_agency(
    bot: TeamBotUnderTest, tenant: Tenant
) -> None:
    intruder = await approved(bot, "Ivan Ivanov", f"ivan@{DOMAIN}")
    status = await bot.driver.text(intruder.telegram_id, "Привет")
    genuine = str(status[-1].buttons()[0]["callback_data"])
    key, signature = genuine.split(".")
    forged = f"{key}.{'A' * len(signature)}" if set(signature) != {"A"} else f"{key}.{'B' * len(signature)}"
    await bot.driver.feed(
        bot.driver.updates.callback(intruder.telegram_id, forged, message=status[-1].result)
    )

    group = -100_555
    refused = await bot.driver.text(intruder.telegram_id, "/set_admin", chat_id=group)
    assert "только администратор" in refused[-1].text

    rows = await refusals(bot.database, intruder.telegram_id)
    assert [(r.action, r.tenant_id) for r in rows] == [
        ("callback.tampered", tenant.id),
        ("tenant.set_alert_chat", tenant.id),
    ]
    assert rows[1].target == str(group)


@pytest.fixture
async def other_agency(database: Database, tenant: Tenant) -> Tenant:
    async with database.session() as session:
        return await TenantRepository(session).create(
            name="Other Agency", slug="other", time_zone="Asia/Makassar", corporate_email_domain=OTHER_DOMAIN
        )


async def test_a_rep_of_another_agency_is_audited_in_their_own_agency_and_finds_no_target_there(
    bot: TeamBotUnderTest, tenant: Tenant, other_agency: Tenant
) -> None:
    await approved(bot, "Anna Smirnova", f"anna@{DOMAIN}")
    outsider = await approved(bot, "Boris Orlov", f"boris@{OTHER_DOMAIN}")
    assert outsider.tenant_id == other_agency.id

    answer = await bot.driver.text(outsider.telegram_id, "suspend Anna")
    assert REFUSED_RU in answer[-1].text
    [row] = await refusals(bot.database, outsider.telegram_id)
    assert (row.action, row.tenant_id, row.target) == ("rep.suspend", other_agency.id, None)
    assert row.detail is not None and "Anna" in row.detail


async def test_a_rep_pressing_another_reps_client_buttons_is_refused_and_audited_on_that_client(
    bot: TeamBotUnderTest, tenant: Tenant
) -> None:
    owner = await approved(bot, "Oleg Petrov", f"oleg@{DOMAIN}")
    intruder = await approved(bot, "Ivan Ivanov", f"ivan@{DOMAIN}")
    async with bot.database.session() as session:
        lead = Lead(
            tenant_id=tenant.id, name="Борис", lead_score=30, temperature="warm", assigned_rep_id=owner.id
        )
        session.add(lead)
        await session.flush()
        lead_id = lead.id
    book = await bot.driver.text(owner.telegram_id, "Мои клиенты")
    opened = await bot.driver.press(owner.telegram_id, book[-1], "Борис")

    viewed = await press_forwarded(bot, intruder.telegram_id, book[-1], "Борис")
    marked = await press_forwarded(bot, intruder.telegram_id, opened[-1], "Горячий")
    for answer in (viewed, marked):
        assert "закреплён не за вами" in answer[-1].text

    rows = await refusals(bot.database, intruder.telegram_id)
    assert [(r.action, r.tenant_id, r.target) for r in rows] == [
        ("client.view", tenant.id, f"lead:{lead_id}"),
        ("client.mark_hot", tenant.id, f"lead:{lead_id}"),
    ]
    assert all(r.detail == "not_their_client" for r in rows)
    async with bot.database.session() as session:
        untouched = await session.get(Lead, lead_id)
        assert untouched is not None and untouched.temperature == "warm"


async def test_a_rep_of_another_agency_pressing_a_follow_up_approval_is_refused_and_audited_on_that_draft(
    database: Database, settings: Settings, api: FakeTelegramAPI
) -> None:
    now = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    owner_id, outsider_id = new_user(), new_user()
    agency = await make_tenant(database, slug="acme")
    other = await make_tenant(database, slug="beta", token=None)
    owner = await make_rep(database, agency, owner_id, approved_at=now, name="Olga")
    await make_rep(database, other, outsider_id, approved_at=now, name="Boris")
    lead = await make_lead(
        database, agency, last_inbound_at=now - timedelta(hours=1), assigned_rep_id=owner.id
    )
    async with database.session() as session:
        draft = PlannedSend(
            agency.id, "seq:1", "telegram", now, "Anna, shall we call?", lead.id, awaiting_approval=True
        )
        await FollowUpRepository(session).plan([draft], now)
    [send] = await sends_of(database, lead_id=lead.id)

    services = Services(settings=bot_settings(settings, api), database=database, clock=FrozenClock(now))
    async with services.resources, running_team_bot(services, api) as team:
        cards: ApprovalCards = team.application.bot_data["approvals"]
        assert await cards.deliver_due(agency.id) == 1
        [card] = api.sent(chat_id=owner_id, token=TEAM_TOKEN)
        forwarded = {
            **Updates.sent_message(card),
            "chat": {"id": outsider_id, "type": "private", "first_name": "B"},
        }
        pressed = str(card.button("Отправить")["callback_data"])
        calls = await team.feed(team.updates.callback(outsider_id, pressed, message=forwarded))
        assert "только менеджер этого клиента" in BotDriver.messages(calls, outsider_id)[-1].text

    [row] = await refusals(database, outsider_id)
    assert (row.action, row.tenant_id, row.target) == ("followup.approve", agency.id, f"followup:{send.id}")
    [held] = await sends_of(database, id=send.id)
    assert held.status == "held"


async def test_an_application_with_an_e_mail_another_applicant_holds_is_refused_and_audited(
    bot: TeamBotUnderTest, tenant: Tenant
) -> None:
    await bot.register(new_user(), name="Anna Smirnova", email=f"anna@{DOMAIN}")
    copycat = new_user()
    await bot.driver.text(copycat, "Привет")
    await bot.driver.text(copycat, "Да")
    await bot.driver.text(copycat, "Анна Смирнова")
    await bot.driver.text(copycat, f"anna@{DOMAIN}")
    await bot.driver.text(copycat, "Да")

    rows = await refusals(bot.database, copycat)
    assert [(r.action, r.detail) for r in rows] == [("rep.register", "refused: email_taken")]
    async with bot.database.session() as session:
        filed = await session.scalar(
            select(SalesRepresentative).where(SalesRepresentative.telegram_id == copycat)
        )
    assert filed is None  # nothing was filed for them
