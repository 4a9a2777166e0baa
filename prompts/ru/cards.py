"""Russian: the cards the team bot sends on its own: hot-lead alerts, follow-up drafts to approve, new prospects."""

from __future__ import annotations

from typing import Final

TEXTS: Final[dict[str, str]] = {
    # a hot-lead alert (bot.alerts): its title per alert kind, its labels, the names of the lead's language
    "title.phone_captured": "🔥 Горячий лид: оставил телефон!",
    "title.burning": "🔥 Лид «горит»!",
    "title.handoff": "🙋 Лид просит менеджера!",
    "title.likely": "📈 Лид, вероятно, купит!",
    "title.other": "🔔 Важный лид",
    "opted_out_title": "🔕 Лид отписался: не звоните и не пишите",
    "opted_out_note": "Он попросил больше не писать ему; напоминания ему не уходят. Отвечайте, только если он напишет сам.",
    "no_name": "без имени",
    "wants": "Ищет",
    "budget": "Бюджет",
    "lead_language": "Язык клиента",
    "score": "Скор",
    "why": "Почему",
    "assigned": "Менеджер",
    "unassigned": "не назначен",
    "client_card": "📇 Карточка клиента",
    "language.en": "английский",
    "language.ru": "русский",
    "language.fa": "персидский",
    "language.ar": "арабский",
    # a follow-up draft that waits for the rep's approval (bot.approvals)
    "approval_card": "✍️ Черновик follow-up для {name} — отправить?\n\n{text}",
    "approval_approve": "✅ Отправить",
    "approval_reject": "❌ Отклонить",
    "approval_approved": "✅ Отправлю клиенту {name}.",
    "approval_rejected": "❌ Черновик для {name} отклонён, он не уйдёт.",
    "approval_not_yours": "Решать может только менеджер этого клиента.",
    "approval_gone": "Этот черновик уже не ждёт решения.",
    "approval_no_name": "клиента",
    # a new prospect for the rep (agent.services.jobs.outreach)
    "prospect_card": "📇 Новый клиент для вас: {name} ({handle})\nЗапрос: {context}\nЗаметки: {notes}\nE-mail: {email}\n\nПервое сообщение (черновик):\n{opener}\n\nСсылка для клиента (закрепит его за вами): {link}",
    "prospect_no_link": "— (у бота компании нет имени пользователя)",
}
