"""Russian: the learned conversion likelihood and its reasons (agent.core.conversion, prompts.conversion)."""

from __future__ import annotations

from typing import Final

# The base score's statements (prompts/ru/scoring.py) word the factors they share; these word the rest.
TEXTS: Final[dict[str, str]] = {
    "likely": "вероятность сделки {percent}",
    "model": "модель от {date}, AUC {auc}",
    "line": "Оценка {score} {badge} · {likely} ({model})",
    "for": "За сделку",
    "against": "Против сделки",
    "factor": "{statement} ({weight})",
    "reasons": "{label}: {reasons}",
    "voice_yes": "Голосовых сообщений: {n}",
    "hour_weekend": "Обращение в выходной, между {hh}:00 и {hh}:59 по местному времени",
    "reply_none": "Ещё не отвечал нам",
    "reply_minutes": "Отвечает нам примерно за {n} мин",
    "follow_up_replies": "Ответов на напоминания: {n}",
    "words_per_message": "Около {n} слов в сообщении",
    "viewing_none": "Просмотров ещё не было",
    "viewing_booked": "Назначено просмотров: {n}",
    "viewing_attended": "Пришёл на просмотр",
    "viewing_interested": "Заинтересовался после просмотра",
    "viewing_not_interested": "Не заинтересовался после просмотра",
    "viewing_no_show": "Не пришёл на просмотр",
    "viewing_made_offer": "Сделал предложение после просмотра",
    "price_unknown": "Показанные объекты нельзя сравнить с бюджетом",
    "price_to_budget": "Показанные объекты стоят {n}% бюджета",
}
