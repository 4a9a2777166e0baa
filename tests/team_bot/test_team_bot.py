"""The team bot, driven with real update JSON against the loopback Bot API and a real PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from pydantic import SecretStr
from sqlalchemy import select

from agent.core.clock import FrozenClock
from agent.services.provider import Services
from agent.settings import Settings
from bot.team import build_team_application
from evals.bot_api import BotDriver, FakeTelegramAPI, Updates
from storage.db import Database
from storage.models import Lead, Prospect, RepTask, SalesRepresentative, Tenant
from tests.team_bot.team_support import (
    ADMIN,
    DOMAIN,
    TOKEN,
    TeamBotUnderTest,
    new_user,
    running_team_bot,
)


async def test_a_new_rep_registers_in_russian_and_every_admin_gets_the_card(bot: TeamBotUnderTest) -> None:
    user = new_user()
    greeting = await bot.driver.text(user, "Привет")
    assert "зарегистрироваться" in greeting[-1].text.lower()

    asked_name = await bot.driver.press(user, greeting[-1], "Да")
    assert "как вас зовут" in asked_name[-1].text.lower()
    asked_email = await bot.driver.text(user, "Иван Иванов")
    assert f"@{DOMAIN}" in asked_email[-1].text and "Иван" in asked_email[-1].text
    confirm = await bot.driver.text(user, f"Мой адрес Ivan@{DOMAIN}")
    assert "Иван Иванов" in confirm[-1].text and f"ivan@{DOMAIN}" in confirm[-1].text

    admin_before = len(bot.api.sent(chat_id=ADMIN))
    submitted = await bot.driver.press(user, confirm[-1], "Отправить")
    assert "заявка отправлена" in submitted[-1].text.lower()

    card = bot.api.sent(chat_id=ADMIN)[admin_before:][-1]
    assert "Новая заявка" in card.text and "Иван Иванов" in card.text and f"ivan@{DOMAIN}" in card.text
    assert {b["text"] for b in card.buttons()} == {"✅ Одобрить", "❌ Отклонить"}
    assert all(len(b["callback_data"].encode()) <= 64 for b in card.buttons())

    rep = await bot.rep(user)
    assert (rep.status, rep.name, rep.email, rep.language) == (
        "pending",
        "Иван Иванов",
        f"ivan@{DOMAIN}",
        "ru",
    )
    assert len(await bot.audit("rep.register")) == 1

    waiting = await bot.driver.text(user, "Ну что там?")
    assert "на рассмотрении" in waiting[-1].text


async def test_a_wrong_email_domain_is_politely_asked_again(bot: TeamBotUnderTest) -> None:
    user = new_user()
    await bot.driver.text(user, "Хочу зарегистрироваться")
    await bot.driver.text(user, "Мария Козлова")
    refused = await bot.driver.text(user, "m.kozlova@gmail.com")
    assert f"@{DOMAIN}" in refused[-1].text and "только корпоративные" in refused[-1].text
    not_an_email = await bot.driver.text(user, "не помню")
    assert "не похоже на адрес" in not_an_email[-1].text.lower()
    accepted = await bot.driver.text(user, f"maria@{DOMAIN}")
    assert f"maria@{DOMAIN}" in accepted[-1].text and "Отправить" in {
        b["text"] for b in accepted[-1].buttons()
    }
    async with bot.database.session() as session:
        assert (await session.execute(select(SalesRepresentative))).first() is None


async def test_an_admin_approves_by_replying_to_the_card_and_the_rep_is_asked_for_a_calendar(
    bot: TeamBotUnderTest,
) -> None:
    user = new_user()
    card = await bot.register(user)
    answer = await bot.driver.text(ADMIN, "Одобрить", reply_to=card)
    assert "одобрен" in answer[-1].text and "Иван Иванов" in answer[-1].text

    to_rep = bot.api.sent_texts(chat_id=user)
    assert any("одобрена" in t for t in to_rep)
    assert any("Google Календарь" in t for t in to_rep)  # not configured here: the internal calendar is used
    rep = await bot.rep(user)
    assert rep.status == "active" and rep.approved_at is not None and rep.calendar_requested_at is not None
    assert rep.decided_by_telegram_id == ADMIN
    [entry] = await bot.audit("rep.approve")
    assert entry.allowed and entry.actor_telegram_id == ADMIN and entry.target == str(rep.id)

    status = await bot.driver.text(user, "Привет")
    assert "активный менеджер" in status[-1].text and "не подключен" in status[-1].text
    assert {"👥 Мои клиенты", "✉️ Обновить e-mail", "🚪 Отключиться от системы"} <= {
        b["text"] for b in status[-1].buttons()
    }


async def test_an_admin_rejects_in_english_with_a_reason_and_the_rep_hears_it(bot: TeamBotUnderTest) -> None:
    user = new_user()
    card = await bot.register(user)
    answer = await bot.driver.text(ADMIN, "reject, not our employee", reply_to=card, language_code="en")
    assert "rejected" in answer[-1].text and "not our employee" in answer[-1].text
    assert any("не наш сотрудник" in t or "not our employee" in t for t in bot.api.sent_texts(chat_id=user))
    assert (await bot.rep(user)).status == "removed"
    [entry] = await bot.audit("rep.reject")
    assert entry.detail == "not our employee"


async def test_a_non_admin_cannot_approve_and_the_attempt_is_audited(bot: TeamBotUnderTest) -> None:
    applicant, intruder = new_user(), new_user()
    card = await bot.register(applicant)

    refused = await bot.driver.text(intruder, "Одобрить")
    assert "только администраторы" in refused[-1].text

    # Even with the admin's real, signed button in hand (a forwarded card keeps its keyboard).
    forwarded = {**Updates.sent_message(card), "chat": {"id": intruder, "type": "private", "first_name": "X"}}
    pressed = str(card.button("Одобрить")["callback_data"])
    calls = await bot.driver.feed(bot.driver.updates.callback(intruder, pressed, message=forwarded))
    refused = BotDriver.messages(calls, intruder)
    assert "только администраторы" in refused[-1].text

    assert (await bot.rep(applicant)).status == "pending"
    attempts = [e for e in await bot.audit("rep.approve")]
    assert len(attempts) == 2 and not any(e.allowed for e in attempts)
    assert {e.actor_telegram_id for e in attempts} == {intruder}


async def test_the_admin_button_approves_too(bot: TeamBotUnderTest) -> None:
    user = new_user()
    card = await bot.register(user)
    answer = await bot.driver.press(ADMIN, card, "Одобрить")
    assert "одобрен" in answer[-1].text
    assert (await bot.rep(user)).status == "active"
    again = await bot.driver.press(ADMIN, card, "Отклонить")
    assert "уже рассмотрена" in again[-1].text


async def test_unregistering_asks_for_confirmation_first(bot: TeamBotUnderTest) -> None:
    user = new_user()
    card = await bot.register(user)
    await bot.driver.text(ADMIN, "approve", reply_to=card, language_code="en")

    question = await bot.driver.text(user, "Хочу отключиться")
    assert "уверены" in question[-1].text
    kept = await bot.driver.text(user, "Нет")
    assert "остаётся" in kept[-1].text
    assert (await bot.rep(user)).status == "active"

    question = await bot.driver.text(user, "Хочу отключиться")
    done = await bot.driver.press(user, question[-1], "Да, отключиться")
    assert "регистрация отменена" in done[-1].text
    assert (await bot.rep(user)).status == "removed"
    assert len(await bot.audit("rep.unregister")) == 1
    assert any("left the system" in t for t in bot.api.sent_texts(chat_id=ADMIN))  # the admin spoke English


async def test_a_pending_applicant_withdraws_by_saying_so(bot: TeamBotUnderTest) -> None:
    user = new_user()
    await bot.register(user)
    done = await bot.driver.text(user, "Я передумал, отмените заявку")
    assert "отозвана" in done[-1].text
    assert (await bot.rep(user)).status == "removed"


async def test_registration_survives_a_restart_between_two_messages(
    team_settings: Settings, database: Database, clock: FrozenClock, api: FakeTelegramAPI, tenant: Tenant
) -> None:
    user = new_user()
    async with running_team_bot(team_settings, database, clock, api) as first:
        await first.driver.text(user, "Здравствуйте")
        await first.driver.text(user, "да")
        asked = await first.driver.text(user, "Пётр Сидоров")
        assert "e-mail" in asked[-1].text
    # A new process: new Application, new services, new checkpointer connections.
    async with running_team_bot(team_settings, database, clock, api) as second:
        confirm = await second.driver.text(user, f"petr@{DOMAIN}")
        assert "Пётр Сидоров" in confirm[-1].text and f"petr@{DOMAIN}" in confirm[-1].text
        await second.driver.text(user, "да")
        assert (await second.rep(user)).status == "pending"


async def test_the_same_update_delivered_twice_gets_one_reply(bot: TeamBotUnderTest) -> None:
    user = new_user()
    update = bot.driver.updates.text(user, "Привет")
    first = await bot.driver.feed(update)
    second = await bot.driver.feed(update)
    assert len(BotDriver.messages(first)) == 1
    assert BotDriver.messages(second) == []


async def test_tampered_callback_data_is_rejected_and_logged(bot: TeamBotUnderTest) -> None:
    user = new_user()
    card = await bot.register(user)
    genuine = str(card.button("Одобрить")["callback_data"])
    key, signature = genuine.split(".")
    forged = (
        f"{key}.{'A' * len(signature)}"
        if signature != "A" * len(signature)
        else f"{key}.{'B' * len(signature)}"
    )
    calls = await bot.driver.feed(bot.driver.updates.callback(ADMIN, forged, message=card.result))
    answers = [c for c in calls if c.method == "answerCallbackQuery"]
    assert answers and "устарела" in str(answers[0].params.get("text"))
    assert BotDriver.messages(calls) == []
    assert (await bot.rep(user)).status == "pending"
    assert len(await bot.audit("callback.tampered")) == 1


async def test_set_admin_in_a_group_makes_it_the_alert_chat_for_admins_only(
    bot: TeamBotUnderTest, database: Database, tenant: Tenant
) -> None:
    group = -100_777
    intruder = new_user()
    refused = await bot.driver.text(intruder, "/set_admin", chat_id=group)
    assert "только администратор" in refused[-1].text
    done = await bot.driver.text(ADMIN, "/set_admin", chat_id=group)
    assert "True Real Estate" in done[-1].text
    async with database.session() as session:
        assert (await session.get(Tenant, tenant.id)).alert_chat_id == group  # type: ignore[union-attr]
    audit = await bot.audit("tenant.set_alert_chat")
    assert [e.allowed for e in audit] == [False, True]


async def test_an_admin_lists_the_team_and_suspends_a_rep_by_conversation(bot: TeamBotUnderTest) -> None:
    user = new_user()
    card = await bot.register(user, name="Ольга Смирнова", email=f"olga@{DOMAIN}")
    listing = await bot.driver.text(ADMIN, "Покажи заявки")
    assert "Ольга Смирнова" in listing[-1].text
    await bot.driver.text(ADMIN, "Одобрить", reply_to=card)

    active = await bot.driver.text(ADMIN, "Активные менеджеры")
    assert "Ольга Смирнова" in active[-1].text
    question = await bot.driver.text(ADMIN, "Приостанови Ольга Смирнова")
    assert "Приостановить" in question[-1].text
    done = await bot.driver.press(ADMIN, question[-1], "Да")
    assert "приостановлен" in done[-1].text
    assert (await bot.rep(user)).status == "suspended"
    assert any("приостановлен" in t for t in bot.api.sent_texts(chat_id=user))
    assert [e.allowed for e in await bot.audit("rep.suspend")] == [True]


async def test_an_english_speaker_is_answered_in_english(bot: TeamBotUnderTest) -> None:
    user = new_user()
    greeting = await bot.driver.text(user, "Hello", language_code="en")
    assert "register" in greeting[-1].text
    asked = await bot.driver.press(user, greeting[-1], "Yes", language_code="en")
    assert "What's your name" in asked[-1].text


async def test_my_clients_lists_leads_and_prospects_by_score_with_quick_actions(
    bot: TeamBotUnderTest, database: Database, tenant: Tenant, clock: FrozenClock
) -> None:
    user = new_user()
    card = await bot.register(user)
    await bot.driver.text(ADMIN, "Одобрить", reply_to=card)
    rep = await bot.rep(user)
    async with database.session() as session:
        session.add_all(
            [
                Lead(
                    tenant_id=tenant.id,
                    name="Анна",
                    phone="+6281234567890",
                    lead_score=82,
                    temperature="burning",
                    assigned_rep_id=rep.id,
                    budget_max=Decimal(500000),
                    location="Canggu",
                ),
                Lead(
                    tenant_id=tenant.id,
                    name="Борис",
                    lead_score=30,
                    temperature="warm",
                    assigned_rep_id=rep.id,
                ),
                Lead(tenant_id=tenant.id, name="Чужой", lead_score=99, temperature="burning"),
                Prospect(
                    id="p-1",
                    tenant_id=tenant.id,
                    telegram_id="@maria",
                    name="Мария Козлова",
                    assigned_rep_id=rep.id,
                    context="Инвестор, апартаменты",
                ),
            ]
        )
        await session.flush()
        lead_b = (await session.execute(select(Lead).where(Lead.name == "Борис"))).scalar_one()
        session.add(
            RepTask(
                tenant_id=tenant.id,
                rep_id=rep.id,
                lead_id=lead_b.id,
                due_at=clock.now() - timedelta(hours=2),
                note="перезвонить",
            )
        )

    book = await bot.driver.text(user, "Мои клиенты")
    listing = book[-1].text
    assert listing.index("🔥 Анна") < listing.index("☀️ Борис") < listing.index("❄️ Мария Козлова")
    assert "Чужой" not in listing and "+6281234567890" in listing
    assert "Просрочено" in listing and "перезвонить" in listing

    opened = await bot.driver.press(user, book[-1], "Борис")
    assert "Борис" in opened[-1].text and "телефон не указан" in opened[-1].text
    hot = await bot.driver.press(user, opened[-1], "Горячий")
    assert "горячий клиент" in hot[0].text
    asked = await bot.driver.press(user, hot[-1], "Заметка")
    assert "заметку" in asked[-1].text
    saved = await bot.driver.text(user, "Хочет виллу до лета")
    assert "Заметка сохранена" in saved[0].text and "Хочет виллу до лета" in saved[-1].text
    asked = await bot.driver.press(user, saved[-1], "Напомнить")
    scheduled = await bot.driver.text(user, "завтра в 11:00")
    assert "Готово" in scheduled[-1].text and "11:00" in scheduled[-1].text
    async with database.session() as session:
        lead = await session.get(Lead, lead_b.id)
        assert lead is not None and lead.temperature == "hot" and "Хочет виллу до лета" in (lead.notes or "")
        tasks = list((await session.execute(select(RepTask).where(RepTask.rep_id == rep.id))).scalars())
        assert len(tasks) == 2


async def test_an_approved_rep_connects_google_calendar_by_pasting_the_address_back(
    team_settings: Settings, database: Database, clock: FrozenClock, api: FakeTelegramAPI, tenant: Tenant
) -> None:
    from urllib.parse import parse_qs, urlsplit

    from cryptography.fernet import Fernet

    from agent.adapters.google import LOOPBACK_REDIRECT_URI
    from agent.services.team import TeamService
    from bot.team import TeamBot
    from tests.fakes.google_api import GoogleStub, calendar_list_entry, ok, token_response

    client_id = "123456789012-abcdefghijklmnop.apps.googleusercontent.com"
    google_settings = team_settings.model_copy(
        update={
            "google_client_id": client_id,
            "google_client_secret": SecretStr("GOCSPX-test-secret"),
            "token_encryption_key": SecretStr(Fernet.generate_key().decode()),
        }
    )
    google = GoogleStub()
    services = Services(settings=google_settings, database=database, clock=clock)
    team = TeamService(database, google_settings, clock, google_transport=google.transport)
    async with services.resources:
        application = build_team_application(services, TOKEN, TeamBot(services, team))
        async with application:
            bot = TeamBotUnderTest(BotDriver(application, api), api, database)
            user = new_user()
            card = await bot.register(user, email=f"anna@{DOMAIN}")
            await bot.driver.text(ADMIN, "Одобрить", reply_to=card)
            prompt = bot.api.sent_texts(chat_id=user)[-1]
            assert "Google" in prompt and DOMAIN in prompt and LOOPBACK_REDIRECT_URI in prompt
            url = next(word for word in prompt.split() if word.startswith("https://accounts.google.com/"))
            state = parse_qs(urlsplit(url).query)["state"][0]

            google.token_endpoint.answers.append(
                (200, token_response(email=f"anna@{DOMAIN}", client_id=client_id))
            )
            google.queue(ok(calendar_list_entry(f"anna@{DOMAIN}", "Asia/Makassar")))
            pasted = (
                f"{LOOPBACK_REDIRECT_URI}?state={state}&code=4/0AfJohXn-the-authorization-code&scope=email"
            )
            done = await bot.driver.text(user, pasted)
            assert "подключен ✓" in done[-1].text and f"anna@{DOMAIN}" in done[-1].text
            rep = await bot.rep(user)
            assert rep.calendar_connected and rep.calendar_account_name == f"anna@{DOMAIN}"
            status = await bot.driver.text(user, "Привет")
            assert "подключен ✓" in status[-1].text
            assert "📅 Подключить календарь" not in {b["text"] for b in status[-1].buttons()}

            again = await bot.driver.text(user, "подключить календарь")
            assert "accounts.google.com" in again[-1].text
            wrong = await bot.driver.text(user, f"{LOOPBACK_REDIRECT_URI}?state=forged&code=4/0AfJohXn-other")
            assert "ссылки" in wrong[-1].text or "ссылку" in wrong[-1].text


async def test_registration_is_rate_limited_per_user(bot: TeamBotUnderTest) -> None:
    user = new_user()
    for attempt in range(3):
        await bot.register(user, email=f"ivan{attempt}@{DOMAIN}")
        await bot.driver.text(user, "Отменить заявку")
    await bot.driver.text(user, "Привет")
    await bot.driver.text(user, "Да")
    await bot.driver.text(user, "Иван Иванов")
    await bot.driver.text(user, f"ivan9@{DOMAIN}")
    refused = await bot.driver.text(user, "Да")
    assert "несколько заявок" in refused[-1].text
    registrations = await bot.audit("rep.register")
    assert [r.allowed for r in registrations] == [
        True,
        True,
        True,
        False,
    ]  # the refused fourth is audited too
    assert registrations[-1].detail == "refused: too_many_today"


async def test_a_suspended_reps_prospects_go_to_another_active_rep(
    bot: TeamBotUnderTest, database: Database, tenant: Tenant
) -> None:
    olga, pavel = new_user(), new_user()
    for user, name, email in ((olga, "Ольга Смирнова", "olga"), (pavel, "Павел Орлов", "pavel")):
        card = await bot.register(user, name=name, email=f"{email}@{DOMAIN}")
        await bot.driver.text(ADMIN, "Одобрить", reply_to=card)
    olga_rep, pavel_rep = await bot.rep(olga), await bot.rep(pavel)
    async with database.session() as session:
        session.add(
            Prospect(
                id="p-olga",
                tenant_id=tenant.id,
                telegram_id="@buyer",
                name="Алексей",
                assigned_rep_id=olga_rep.id,
            )
        )
    question = await bot.driver.text(ADMIN, "Приостанови ольга")
    await bot.driver.press(ADMIN, question[-1], "Да")
    async with database.session() as session:
        prospect = await session.get(Prospect, (tenant.id, "p-olga"))
        assert prospect is not None and prospect.assigned_rep_id == pavel_rep.id
