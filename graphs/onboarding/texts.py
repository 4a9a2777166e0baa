"""What the team bot says, in Russian first and in English. `{placeholders}` are filled by the nodes."""

from __future__ import annotations

from typing import Final

RU: Final[dict[str, str]] = {
    # registration
    "greet_new": (
        "Привет! Я бот команды продаж: через меня менеджеры регистрируются, получают уведомления "
        "о горячих клиентах и ведут своих клиентов прямо в Telegram.\n\n"
        "Хотите зарегистрироваться как менеджер по продажам?"
    ),
    "declined": "Хорошо. Если передумаете — просто напишите мне.",
    "ask_name": "Отлично! Как вас зовут? Напишите имя и фамилию.",
    "bad_name": "Не похоже на имя. Напишите, пожалуйста, имя и фамилию — например, Иван Иванов.",
    "ask_email": "Приятно познакомиться, {first}!\n\nКакой у вас корпоративный e-mail? Он должен быть на {domains}.",
    "ask_email_any": "Приятно познакомиться, {first}!\n\nКакой у вас рабочий e-mail?",
    "email_invalid": "Это не похоже на адрес e-mail. Напишите его целиком, например {example}.",
    "email_domain": (
        "К сожалению, принимаются только корпоративные адреса на {domains}. "
        "Напишите, пожалуйста, ваш рабочий e-mail."
    ),
    "email_taken": (
        "Этот адрес уже указан у другого менеджера. Напишите другой адрес "
        "или свяжитесь с администратором, если это ошибка."
    ),
    "confirm": "Проверьте, пожалуйста:\n\nИмя: {name}\nE-mail: {email}\n\nОтправить заявку?",
    "confirm_unclear": "Ответьте «да», чтобы отправить заявку, или «исправить», чтобы изменить данные.",
    "submitted": (
        "Спасибо! Ваша заявка отправлена администратору.\n\n"
        "Я напишу вам, когда её рассмотрят. Если захотите отменить заявку — просто напишите мне об этом."
    ),
    "too_many": "Сегодня от вас уже было несколько заявок. Попробуйте завтра или напишите администратору.",
    "closed": "Регистрация пока закрыта: агентство ещё не настроено. Напишите, пожалуйста, администратору.",
    # a pending applicant
    "pending_status": (
        "Ваша заявка на рассмотрении.\n\nИмя: {name}\nE-mail: {email}\n\n"
        "Я напишу, как только администратор её рассмотрит. Чтобы отозвать заявку, просто скажите об этом."
    ),
    "withdrawn": "Заявка отозвана. Если захотите вернуться — просто напишите мне.",
    # a registered rep
    "status_card": "Привет, {first}!\n\nВаш статус: {status}\nE-mail: {email}\nКалендарь: {calendar}\n\nЧем могу помочь?",
    "suspended_note": "Доступ приостановлен администратором. Если это ошибка — свяжитесь с администратором.",
    "ask_unregister": "Вы уверены, что хотите отключиться от системы?\n\nЭто отменит вашу регистрацию.",
    "unregistered": "Хорошо, ваша регистрация отменена.\n\nЕсли захотите вернуться — просто напишите мне снова.",
    "kept": "Хорошо, всё остаётся как было.",
    "ask_new_email": "Напишите новый корпоративный e-mail (на {domains}).",
    "ask_new_email_any": "Напишите новый рабочий e-mail.",
    "email_updated": "Готово, теперь ваш e-mail: {email}.",
    "email_updated_calendar": "Готово, теперь ваш e-mail: {email}.\n\nКалендарь был привязан к старому адресу — его нужно подключить заново.",
    "cancelled": "Хорошо, отменил.",
    # admins
    "application_card": (
        "📝 Новая заявка на регистрацию!\n\nИмя: {name}\nE-mail: {email}\nTelegram: {telegram}\nАгентство: {tenant}\n\n"
        "Одобрить или отклонить? Ответьте на это сообщение — например, «Одобрить» или "
        "«Отклонить, не наш сотрудник» — или нажмите кнопку."
    ),
    "admin_approved": "✅ {name} одобрен(а) как менеджер.",
    "admin_rejected": "❌ Заявка {name} отклонена.",
    "admin_rejected_reason": "❌ Заявка {name} отклонена. Причина: {reason}",
    "already_decided": "Заявка {name} уже рассмотрена (статус: {status}).",
    "not_admin": "Это могут делать только администраторы. Попытка записана в журнал.",
    "decide_how": "Ответьте на карточку «Одобрить» или «Отклонить» (можно с причиной: «Отклонить, не наш сотрудник»).",
    "which_application": "Какую заявку вы имеете в виду? Ответьте на карточку заявки или выберите:",
    "no_pending": "Заявок на рассмотрении нет.",
    "pending_list": "Заявки на рассмотрении ({count}):\n\n{lines}",
    "active_list": "Активные менеджеры ({count}):\n\n{lines}",
    "no_active": "Активных менеджеров пока нет.",
    "admin_menu": (
        "Вы администратор. Я могу:\n"
        "• показать заявки на рассмотрении;\n"
        "• показать активных менеджеров;\n"
        "• приостановить, восстановить или удалить менеджера («приостанови Иван Иванов»);\n"
        "• сделать менеджера администратором («сделай админом ivan@…»).\n\n"
        "Заявку можно одобрить или отклонить ответом на её карточку."
    ),
    "who_is_it": "Кого именно? Напишите имя, @username или e-mail менеджера.",
    "nobody_found": "Не нашёл менеджера «{query}». Проверьте имя, @username или e-mail.",
    "which_rep": "Нашлось несколько менеджеров. Выберите:",
    "confirm_suspend": "Приостановить доступ менеджера {name} ({email})?",
    "confirm_remove": "Удалить менеджера {name} ({email}) из системы?",
    "confirm_restore": "Восстановить доступ менеджера {name} ({email})?",
    "confirm_promote": "Сделать {name} ({email}) администратором?",
    "done_suspend": "⏸ Доступ {name} приостановлен.",
    "done_remove": "🗑 {name} удалён(а) из системы.",
    "done_restore": "▶️ Доступ {name} восстановлен.",
    "done_promote": "⭐ {name} теперь администратор.",
    "cannot_change": "Не получилось: у {name} сейчас статус «{status}».",
    "rep_left_notice": "ℹ️ {name} ({email}) {what}.",
    "left_withdrew": "отозвал(а) заявку",
    "left_unregistered": "отключился(-ась) от системы",
    # to the rep, after an admin decided
    "rep_approved": "Отличные новости! Ваша заявка одобрена — добро пожаловать в команду! 🎉",
    "rep_rejected": "К сожалению, ваша заявка не одобрена.",
    "rep_rejected_reason": "К сожалению, ваша заявка не одобрена. Причина: {reason}",
    "rep_rejected_tail": "\n\nЕсли это ошибка — свяжитесь с администратором.",
    "rep_suspended": "Ваш доступ приостановлен администратором.",
    "rep_removed": "Администратор отключил вас от системы. Если это ошибка — свяжитесь с ним.",
    "rep_restored": "Ваш доступ восстановлен. С возвращением!",
    "rep_promoted": "Теперь вы администратор команды ⭐",
    # the rep's CRM
    "no_clients": "Пока у вас нет клиентов. Как только они появятся, я покажу их здесь.",
    "clients_header": "👥 Ваши клиенты ({count}):",
    "today_header": "📅 На сегодня:",
    "overdue_header": "⏰ Просрочено:",
    "clients_hint": "Нажмите на клиента, чтобы открыть карточку.",
    "client_card": "{badge} {name}\nСкор: {score} · {temperature}\nСтатус: {status}",
    "phone_line": "📞 {phone}",
    "no_phone": "📞 телефон не указан",
    "notes_line": "📝 {notes}",
    "not_active_rep": "Клиенты доступны активным менеджерам.",
    "not_your_client": "Этот клиент закреплён не за вами.",
    "marked_hot": "🌶️ {name} — отмечен(а) как горячий клиент.",
    "ask_note": "Напишите заметку о клиенте {name}.",
    "note_saved": "📝 Заметка сохранена.",
    "choose_status": "Новый статус для {name}:",
    "status_changed": "Статус {name}: {status}.",
    "ask_followup": "Когда напомнить о клиенте {name}? Выберите или напишите, например, «завтра в 11:00».",
    "bad_time": "Не понял время. Напишите, например, «завтра в 11:00» или «через 2 часа».",
    "followup_saved": "⏰ Готово: {when} — {name}. Задача появится в «Мои клиенты».",
    # buttons
    "btn_register": "Да, зарегистрироваться",
    "btn_no": "Нет, спасибо",
    "btn_send": "Отправить",
    "btn_edit": "Исправить",
    "btn_withdraw": "Отозвать заявку",
    "btn_clients": "👥 Мои клиенты",
    "btn_calendar": "📅 Подключить календарь",
    "btn_update_email": "✉️ Обновить e-mail",
    "btn_unregister": "🚪 Отключиться от системы",
    "btn_unregister_yes": "Да, отключиться",
    "btn_stay": "Нет, остаться",
    "btn_approve": "✅ Одобрить",
    "btn_reject": "❌ Отклонить",
    "btn_pending": "📝 Заявки",
    "btn_active": "👥 Менеджеры",
    "btn_yes": "Да",
    "btn_cancel": "Отмена",
    "or": "или",
    "btn_hot": "🌶️ Горячий",
    "btn_note": "📝 Заметка",
    "btn_status": "🔄 Статус",
    "btn_followup": "⏰ Напомнить",
    "btn_back": "⬅️ К списку",
    "btn_in_hour": "Через час",
    "btn_tomorrow": "Завтра в 10:00",
    "btn_in_3_days": "Через 3 дня",
    # set_admin and the adapter
    "set_admin_ok": "Готово: сюда будут приходить уведомления о горячих клиентах агентства «{tenant}».",
    "set_admin_private": "Отправьте /set_admin в группе команды — туда будут приходить уведомления о горячих клиентах.",
    "set_admin_which": "Вы администрируете несколько агентств. Укажите какое: /set_admin <код> ({slugs}).",
    "set_admin_refused": "Назначить чат для уведомлений может только администратор. Попытка записана в журнал.",
    "rate_limited": "Слишком много сообщений подряд. Подождите немного, пожалуйста.",
    "button_expired": "Эта кнопка устарела. Напишите мне что-нибудь — и я покажу актуальные варианты.",
    "error": "Что-то пошло не так. Попробуйте ещё раз чуть позже — я уже сообщил об ошибке.",
    "unsupported": "Я понимаю текст и кнопки. Напишите, пожалуйста, словами.",
}

EN: Final[dict[str, str]] = {
    "greet_new": (
        "Hi! I'm the sales team bot: reps register here, get hot-lead alerts and manage their clients "
        "right in Telegram.\n\nWould you like to register as a sales representative?"
    ),
    "declined": "All right. If you change your mind, just message me.",
    "ask_name": "Great! What's your name? Please write your first and last name.",
    "bad_name": "That doesn't look like a name. Please write your first and last name, e.g. John Smith.",
    "ask_email": "Nice to meet you, {first}!\n\nWhat's your corporate e-mail? It must be at {domains}.",
    "ask_email_any": "Nice to meet you, {first}!\n\nWhat's your work e-mail?",
    "email_invalid": "That doesn't look like an e-mail address. Please write it in full, e.g. {example}.",
    "email_domain": "Sorry, only corporate addresses at {domains} are accepted. Please write your work e-mail.",
    "email_taken": "This address is already used by another rep. Please use another one, or contact an admin if it's a mistake.",
    "confirm": "Please check:\n\nName: {name}\nE-mail: {email}\n\nSend the application?",
    "confirm_unclear": 'Reply "yes" to send the application, or "edit" to change the details.',
    "submitted": (
        "Thank you! Your application has been sent to an admin.\n\n"
        "I'll let you know once it's reviewed. If you want to cancel it, just tell me."
    ),
    "too_many": "You've sent several applications today. Please try again tomorrow or contact an admin.",
    "closed": "Registration isn't open yet: the agency hasn't been set up. Please contact an admin.",
    "pending_status": (
        "Your application is being reviewed.\n\nName: {name}\nE-mail: {email}\n\n"
        "I'll message you as soon as an admin decides. To withdraw it, just say so."
    ),
    "withdrawn": "Your application has been withdrawn. If you want to come back, just message me.",
    "status_card": "Hi, {first}!\n\nYour status: {status}\nE-mail: {email}\nCalendar: {calendar}\n\nHow can I help?",
    "suspended_note": "Your access has been suspended by an admin. If this is a mistake, please contact an admin.",
    "ask_unregister": "Are you sure you want to leave the system?\n\nThis will cancel your registration.",
    "unregistered": "Done, your registration has been cancelled.\n\nIf you want to come back, just message me again.",
    "kept": "All right, nothing has changed.",
    "ask_new_email": "Please write your new corporate e-mail (at {domains}).",
    "ask_new_email_any": "Please write your new work e-mail.",
    "email_updated": "Done, your e-mail is now {email}.",
    "email_updated_calendar": "Done, your e-mail is now {email}.\n\nYour calendar was linked to the old address, so it needs to be connected again.",
    "cancelled": "OK, cancelled.",
    "application_card": (
        "📝 New registration request!\n\nName: {name}\nE-mail: {email}\nTelegram: {telegram}\nAgency: {tenant}\n\n"
        'Approve or reject? Reply to this message (e.g. "approve" or "reject, not our employee") or tap a button.'
    ),
    "admin_approved": "✅ {name} has been approved as a rep.",
    "admin_rejected": "❌ {name}'s application has been rejected.",
    "admin_rejected_reason": "❌ {name}'s application has been rejected. Reason: {reason}",
    "already_decided": "{name}'s application has already been decided (status: {status}).",
    "not_admin": "Only admins can do that. The attempt has been logged.",
    "decide_how": 'Reply to the card with "approve" or "reject" (a reason may follow: "reject, not our employee").',
    "which_application": "Which application do you mean? Reply to its card or choose:",
    "no_pending": "There are no pending applications.",
    "pending_list": "Pending applications ({count}):\n\n{lines}",
    "active_list": "Active reps ({count}):\n\n{lines}",
    "no_active": "There are no active reps yet.",
    "admin_menu": (
        "You're an admin. I can:\n"
        "• show pending applications;\n"
        "• show active reps;\n"
        '• suspend, restore or remove a rep ("suspend John Smith");\n'
        '• make a rep an admin ("make john@… admin").\n\n'
        "To approve or reject an application, reply to its card."
    ),
    "who_is_it": "Who exactly? Write the rep's name, @username or e-mail.",
    "nobody_found": 'I couldn\'t find a rep "{query}". Check the name, @username or e-mail.',
    "which_rep": "Several reps match. Choose one:",
    "confirm_suspend": "Suspend {name} ({email})?",
    "confirm_remove": "Remove {name} ({email}) from the system?",
    "confirm_restore": "Restore access for {name} ({email})?",
    "confirm_promote": "Make {name} ({email}) an admin?",
    "done_suspend": "⏸ {name} has been suspended.",
    "done_remove": "🗑 {name} has been removed.",
    "done_restore": "▶️ {name}'s access has been restored.",
    "done_promote": "⭐ {name} is now an admin.",
    "cannot_change": "Couldn't do it: {name}'s status is \"{status}\".",
    "rep_left_notice": "ℹ️ {name} ({email}) {what}.",
    "left_withdrew": "withdrew their application",
    "left_unregistered": "left the system",
    "rep_approved": "Great news! Your application has been approved — welcome to the team! 🎉",
    "rep_rejected": "Sorry, your application was not approved.",
    "rep_rejected_reason": "Sorry, your application was not approved. Reason: {reason}",
    "rep_rejected_tail": "\n\nIf this is a mistake, please contact an admin.",
    "rep_suspended": "Your access has been suspended by an admin.",
    "rep_removed": "An admin has removed you from the system. If this is a mistake, please contact them.",
    "rep_restored": "Your access has been restored. Welcome back!",
    "rep_promoted": "You're now a team admin ⭐",
    "no_clients": "You have no clients yet. I'll show them here as soon as you do.",
    "clients_header": "👥 Your clients ({count}):",
    "today_header": "📅 Today:",
    "overdue_header": "⏰ Overdue:",
    "clients_hint": "Tap a client to open their card.",
    "client_card": "{badge} {name}\nScore: {score} · {temperature}\nStatus: {status}",
    "phone_line": "📞 {phone}",
    "no_phone": "📞 no phone yet",
    "notes_line": "📝 {notes}",
    "not_active_rep": "Clients are available to active reps.",
    "not_your_client": "This client isn't assigned to you.",
    "marked_hot": "🌶️ {name} is marked as a hot client.",
    "ask_note": "Write a note about {name}.",
    "note_saved": "📝 Note saved.",
    "choose_status": "New status for {name}:",
    "status_changed": "{name}'s status: {status}.",
    "ask_followup": 'When should I remind you about {name}? Choose or write, e.g. "tomorrow at 11:00".',
    "bad_time": 'I didn\'t get the time. Write, e.g., "tomorrow at 11:00" or "in 2 hours".',
    "followup_saved": '⏰ Done: {when} — {name}. It will show up in "My clients".',
    "btn_register": "Yes, register",
    "btn_no": "No, thanks",
    "btn_send": "Send",
    "btn_edit": "Edit",
    "btn_withdraw": "Withdraw application",
    "btn_clients": "👥 My clients",
    "btn_calendar": "📅 Connect calendar",
    "btn_update_email": "✉️ Update e-mail",
    "btn_unregister": "🚪 Leave the system",
    "btn_unregister_yes": "Yes, leave",
    "btn_stay": "No, stay",
    "btn_approve": "✅ Approve",
    "btn_reject": "❌ Reject",
    "btn_pending": "📝 Applications",
    "btn_active": "👥 Reps",
    "btn_yes": "Yes",
    "btn_cancel": "Cancel",
    "or": "or",
    "btn_hot": "🌶️ Hot",
    "btn_note": "📝 Note",
    "btn_status": "🔄 Status",
    "btn_followup": "⏰ Remind me",
    "btn_back": "⬅️ Back to list",
    "btn_in_hour": "In an hour",
    "btn_tomorrow": "Tomorrow 10:00",
    "btn_in_3_days": "In 3 days",
    "set_admin_ok": 'Done: hot-lead alerts of "{tenant}" will come to this chat.',
    "set_admin_private": "Send /set_admin in your team's group, and hot-lead alerts will go there.",
    "set_admin_which": "You run several agencies. Name one: /set_admin <code> ({slugs}).",
    "set_admin_refused": "Only an admin can choose the alert chat. The attempt has been logged.",
    "rate_limited": "Too many messages in a row. Please wait a moment.",
    "button_expired": "This button has expired. Send me anything and I'll show the current options.",
    "error": "Something went wrong. Please try again a bit later — the error has been reported.",
    "unsupported": "I understand text and buttons. Please write in words.",
}

TEXTS: Final[dict[str, dict[str, str]]] = {"ru": RU, "en": EN}

REP_STATUS_NAMES: Final[dict[str, dict[str, str]]] = {
    "ru": {
        "pending": "на рассмотрении",
        "active": "активный менеджер",
        "suspended": "приостановлен",
        "removed": "удалён",
    },
    "en": {
        "pending": "pending review",
        "active": "active rep",
        "suspended": "suspended",
        "removed": "removed",
    },
}
CALENDAR_NAMES: Final[dict[str, dict[bool, str]]] = {
    "ru": {True: "подключен ✓", False: "не подключен"},
    "en": {True: "connected ✓", False: "not connected"},
}
TEMPERATURE_NAMES: Final[dict[str, dict[str, str]]] = {
    "ru": {"burning": "горит", "hot": "горячий", "warm": "тёплый", "cold": "холодный"},
    "en": {"burning": "burning", "hot": "hot", "warm": "warm", "cold": "cold"},
}
CLIENT_STATUS_NAMES: Final[dict[str, dict[str, str]]] = {
    "ru": {
        "new": "новый",
        "qualifying": "уточняем запрос",
        "qualified": "запрос понятен",
        "contact_captured": "есть контакт",
        "viewing_scheduled": "просмотр назначен",
        "handed_off": "передан менеджеру",
        "converted": "сделка",
        "lost": "потерян",
        "unreached": "не связались",
        "contacted": "связались",
        "in_conversation": "в диалоге",
        "archived": "в архиве",
    },
    "en": {
        "new": "new",
        "qualifying": "qualifying",
        "qualified": "qualified",
        "contact_captured": "contact captured",
        "viewing_scheduled": "viewing scheduled",
        "handed_off": "handed off",
        "converted": "converted",
        "lost": "lost",
        "unreached": "unreached",
        "contacted": "contacted",
        "in_conversation": "in conversation",
        "archived": "archived",
    },
}


def text_for(language: str, key: str, **params: object) -> str:
    """The text `key` in `language` (Russian when the language is not ours), placeholders filled."""
    table = TEXTS.get(language, RU)
    template = table.get(key) or RU[key]
    return template.format(**params) if params else template


def named(names: dict[str, dict[str, str]], language: str, value: str) -> str:
    return names.get(language, names["ru"]).get(value, value)
