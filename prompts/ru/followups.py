"""Russian follow-up texts (at most 160 characters once filled: agent.core.policies.followup_text), outreach and e-mail lines."""

from __future__ import annotations

from typing import Final

# {hi}: the greeting; {wish}: what the lead asked for; {match}: a real listing's title.
TEXTS: Final[dict[str, str]] = {
    "check_in": "{hi}! Всё ещё ищете: {wish}? Могу прислать новые варианты или записать на просмотр.",
    "ghost": "{hi}! Как продвигается поиск: {wish}? Ответьте, когда будет удобно.",
    "listings": "{hi}! Подошёл ли какой-то вариант: {wish}? Могу записать на просмотр.",
    "viewing": "{hi}! Хотите посмотреть вживую: {wish}? Напишите удобный день.",
    "match": "{hi}! Новый вариант по вашему запросу ({wish}): {match}. Прислать детали?",
    # when we know nothing of what the lead wants: an honest question instead of a made-up wish
    "generic": "{hi}! Напоминаю о себе. Какую недвижимость вы ищете? С радостью помогу.",
    "hello_named": "Здравствуйте, {name}",
    "hello": "Здравствуйте",
    # Ghost Protocol, only when the catalog really has a listing that fits ({match})
    "ghost_match": "{hi}! Мой коллега нашёл объект под ваш запрос ({wish}): {match}. Когда вам удобно поговорить?",
    # outreach: the first message to a prospect, and the line that ends its e-mail
    "outreach_opener": "Здравствуйте, {name}! Меня зовут {rep}, я из {agency}. Вы упоминали: «{context}». Могу подобрать подходящие варианты и ответить на вопросы. Когда вам удобно пообщаться?",
    "outreach_opener_no_context": "Здравствуйте, {name}! Меня зовут {rep}, я из {agency}. Помогу с подбором недвижимости. Расскажите, что вы ищете?",
    "outreach_email_link": "Написать нам в Telegram: {link}",
    # the subject of a follow-up e-mail, before the agency's name
    "email_subject": "Ваш поиск недвижимости",
}
