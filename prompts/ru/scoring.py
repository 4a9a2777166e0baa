"""Russian: why a lead scored its points, one reason per score factor (agent.core.scoring, prompts.scoring)."""

from __future__ import annotations

from typing import Final

# A reason reads "<statement> — <tally>", a counted one "<statement> × <each> = <tally>"; `_one` and
# `_other` are the statement for one event and for any other count.
TEXTS: Final[dict[str, str]] = {
    "tally": "{points} из {max}",
    "note.capped": "предел",
    "note.bonus_limit": "предел бонуса",
    # engagement
    "qr_scans_one": "Сканирования QR: {n}",
    "qr_scans_other": "Сканирования QR: {n}",
    "catalog_views_one": "Просмотры каталога: {n}",
    "catalog_views_other": "Просмотры каталога: {n}",
    "messages_one": "Сообщения: {n}",
    "messages_other": "Сообщения: {n}",
    "voice_yes_one": "Голосовые сообщения: {n}, разовый бонус",
    "voice_yes_other": "Голосовые сообщения: {n}, разовый бонус",
    "voice_no": "Голосовых сообщений пока нет",
    # qualification
    "field_known": "{field} известен",
    "field_unknown": "{field} пока неизвестен",
    "field.phone": "Телефон",
    "field.budget": "Бюджет",
    "field.transaction_type": "Тип сделки",
    "field.property_type": "Тип объекта",
    "field.location": "Район",
    "field.payment_method": "Способ оплаты",
    # recency: never, then the bands of agent.core.scoring.RECENCY_BANDS and older
    "recency_none": "Контактов пока не было",
    "recency_0": "Последний контакт менее часа назад",
    "recency_1": "Последний контакт 1–6 часов назад",
    "recency_2": "Последний контакт 6–24 часа назад",
    "recency_3": "Последний контакт 1–3 дня назад",
    "recency_4": "Последний контакт 3 и более дней назад",
    # the intent bonus
    "urgency_one": "Упоминания срочности: {n}",
    "urgency_other": "Упоминания срочности: {n}",
    "specific_questions_one": "Конкретные вопросы: {n}",
    "specific_questions_other": "Конкретные вопросы: {n}",
    "source": "Источник: {name}",
    "source_unknown": "Источник неизвестен",
    "source_unrated": "Источник «{name}» без оценки",
    "source.referral": "рекомендация",
    "source.expo_qr": "QR-код на выставке",
    "source.website": "сайт",
    "source.catalog": "каталог",
    "source.ads": "реклама",
    "hour_business": "Обращение между {hh}:00 и {hh}:59 по местному времени, в рабочие часы",
    "hour_off": "Обращение между {hh}:00 и {hh}:59 по местному времени, в нерабочее время",
    "hour_unknown": "Время обращения неизвестно",
}
