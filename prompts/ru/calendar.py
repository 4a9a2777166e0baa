"""Russian texts of the calendar features: connecting Google Calendar, viewings, reminders, a rep's changes."""

from __future__ import annotations

from typing import Final

LOCALE: Final = "ru"
"""The Babel locale viewing dates and times are written in (day, month and digits of this language)."""

TEXTS: Final[dict[str, str]] = {
    # Connecting Google Calendar (team bot, to the rep)
    "connect_prompt": (
        "Давайте подключим ваш Google Календарь, чтобы просмотры попадали в него.\n\n"
        "1. Откройте ссылку и войдите в аккаунт {domain}:\n"
        "{url}\n"
        "2. Разрешите доступ. Браузер покажет адрес, начинающийся с {redirect} (сама страница "
        "может не открыться, так и должно быть).\n"
        "3. Скопируйте этот адрес целиком и пришлите мне.\n\n"
        "Ссылка действует {minutes} минут."
    ),
    "connect_prompt_callback": (
        "Давайте подключим ваш Google Календарь, чтобы просмотры попадали в него.\n\n"
        "Откройте ссылку, войдите в аккаунт {domain} и разрешите доступ:\n"
        "{url}\n\n"
        "Я подтвержу здесь, как только всё получится. Ссылка действует {minutes} минут."
    ),
    "connected": "Календарь подключен ✓ ({account}). Новые просмотры будут появляться в нём.",
    "calendar_status_connected": "Календарь: подключен ✓ ({account})",
    "calendar_status_internal": "Календарь: внутренний (Google Календарь не подключен)",
    "calendar_status_unchecked": "Календарь: {account}, сейчас не удалось проверить",
    "link_expired": "Срок действия ссылки истёк. Вот новая.",
    "no_pending_link": (
        "У меня нет ожидающей ссылки для календаря. Напишите «подключить календарь», и я пришлю её."
    ),
    "wrong_domain": (
        "{email} не является аккаунтом {domain}. Войдите под корпоративным аккаунтом и пришлите новый адрес."
    ),
    "denied": "Google сообщает, что доступ не разрешён. Откройте ссылку ещё раз и нажмите «Разрешить».",
    "missing_permissions": "Часть разрешений календаря не отмечена. Откройте ссылку ещё раз и разрешите всё.",
    "code_rejected": "Google не принял этот код (возможно, он уже использован или устарел). Вот новая ссылка.",
    "not_a_code": (
        "Это не похоже на адрес от Google. Скопируйте адрес целиком из строки браузера после "
        "разрешения доступа."
    ),
    "google_unavailable": "Google сейчас не отвечает. Пришлите тот же адрес ещё раз через несколько минут.",
    "google_not_configured": (
        "Google Календарь для команды ещё не настроен, поэтому просмотры идут во внутренний календарь."
    ),
    "reconnect_needed": (
        "Доступ к вашему Google Календарю истёк или был отозван. Пока вы не переподключитесь, "
        "просмотры записываются во внутренний календарь. Напишите «подключить календарь»."
    ),
    # Viewings (lead bot to the lead, team bot to the rep)
    "event_summary": "Просмотр: {title} — {lead}",
    "a_property": "объект",
    "booked_lead": "Просмотр назначен: {title}, {when}, агент {rep}.{link}",
    "booked_rep": "Новый просмотр: {title}, {when}, клиент {lead}.{link}",
    "moved_lead": "Просмотр перенесён: {title}, теперь {when}.{link}",
    "moved_rep": "Просмотр перенесён: {title}, клиент {lead}, теперь {when}.{link}",
    "cancelled_lead": "Просмотр ({title}, {when}) отменён. Напишите, когда захотите выбрать новое время.",
    "cancelled_rep": "Просмотр отменён: {title}, клиент {lead}, {when}.",
    "meeting_link": ("\nВидеозвонок: {url}"),
    "invitation_caption": "Добавьте в свой календарь",
    # Reminders
    "reminder_lead_24h": "Напоминание: просмотр {title} завтра, {when}, агент {rep}.{where}{link}",
    "reminder_lead_1h": "Просмотр {title} через час, {when}.{where}{link} До встречи!",
    "reminder_rep_24h": "Завтра: просмотр {title}, клиент {lead} ({phone}), {when}.{where}{link}",
    "reminder_rep_1h": "Через час: просмотр {title}, клиент {lead} ({phone}), {when}.{where}{link}",
    "where": ("\nАдрес: {address}"),
    "outcome_question": (
        "Как прошёл просмотр {title} с клиентом {lead} ({when})? Ответьте: был, заинтересован, "
        "сделал предложение, не заинтересован или не пришёл."
    ),
    "outcome_recorded": "Спасибо, записал для {lead}: {outcome}.",
    "outcome_attended": "был на просмотре",
    "outcome_interested": "заинтересован",
    "outcome_not_interested": "не заинтересован",
    "outcome_no_show": "не пришёл",
    "outcome_made_offer": "сделал предложение",
    # A rep moves or cancels a viewing from the team bot
    "rep_viewing_none": "У вас нет предстоящих просмотров, менять нечего.",
    "rep_viewing_which": "Какой просмотр?",
    "rep_viewing_choice": "{when}, {lead}",
    "rep_viewing_refused": "Этот просмотр закреплён не за вами, изменить его я не могу.",
    "rep_viewing_gone": "Этот просмотр уже не предстоит.",
    "rep_viewing_options": "Это время занято. Свободное время для просмотра с клиентом {lead}:",
    "rep_viewing_pick_time": "На когда перенести просмотр с клиентом {lead}? Напишите время или выберите:",
    "rep_viewing_no_free_time": "У вас нет другого свободного времени в ближайшие две недели.",
    "rep_viewing_cancel_confirm": "Отменить просмотр {title}, клиент {lead}, {when}? Клиенту придёт уведомление.",
    "button_reschedule": "Перенести",
    "button_cancel": "Отменить",
    "button_cancel_confirm": "Да, отменить",
    # A viewing the lead cannot have (book_viewing, reschedule_viewing, cancel_viewing)
    "unavailable.no_rep": "Сейчас нет свободного агента для просмотров. Могу передать ваш запрос команде.",
    "unavailable.no_free_slot": "В ближайшие две недели нет свободного времени для просмотра.",
    "unavailable.listing_unavailable": "Этот объект недоступен для просмотра.",
    # Запись как у человека (предложение времени, выходной агента, время, на которое нельзя записать)
    "proposal": "{when} подходит для просмотра «{title}». Записать вас?",
    "proposal_more": "Ещё есть {times}.",
    "day_off": "В {day} наш агент не проводит просмотры. Ближайшие дни: {days}. Какой вам удобнее?",
    "invalid.past": "Это время уже прошло. Какой день и время вам удобны?",
    "invalid.too_far": "Записать на просмотр можно не дальше чем на год вперёд. Какая дата в этих пределах вам подойдёт?",
    "invalid.no_such_time": "Такого времени не бывает ({said}). Какое время вам удобно?",
    "needs_listing": "Какой объект вы хотите посмотреть?",
    "needs_listing_open": "Какой объект вы хотите посмотреть? Назовите его или расскажите, что ищете, и я покажу варианты.",
    "no_phone_contact": "Наш агент свяжется с вами здесь, в этом чате.",
    "proposal_phone": "И по какому номеру телефона агенту с вами связаться?",
    "choice_yes": "✅ {when}",
    "times_on_day": "{day}: {times}",
    "lead_viewing_none": "Предстоящих просмотров нет, менять нечего.",
    "lead_viewing_no_free_time": "У вашего агента нет другого свободного времени в ближайшие две недели.",
    # The page the rep's browser shows after Google's consent screen (bot.calendar)
    "page_title": "Календарь",
    "page_connected": "Календарь подключён ✓",
    "page_not_connected": "Календарь не подключён",
    "page_no_state": "В этом адресе не хватает параметра state.",
    "page_unknown_link": "Эта ссылка неизвестна или уже использована. Попросите у бота новую.",
    "page_close_tab": "Эту вкладку можно закрыть и вернуться в Telegram.",
}
