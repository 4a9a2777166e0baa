"""Persian: the cards the team bot sends on its own: hot-lead alerts, follow-up drafts to approve, new prospects."""

from __future__ import annotations

from typing import Final

TEXTS: Final[dict[str, str]] = {
    # a hot-lead alert (bot.alerts): its title per alert kind, its labels, the names of the lead's language
    "title.phone_captured": "🔥 مشتری داغ: شماره تلفن داد!",
    "title.burning": "🔥 یک مشتری بسیار داغ شد!",
    "title.handoff": "🙋 مشتری می‌خواهد با یک کارشناس صحبت کند!",
    "title.likely": "📈 این مشتری احتمالاً معامله می‌کند!",
    "title.other": "🔔 مشتری مهم",
    "opted_out_title": "🔕 این مشتری لغو اشتراک کرده است: تماس نگیرید و پیام ندهید",
    "opted_out_note": "او خواسته است دیگر برایش پیام نفرستیم؛ پیگیری‌ها برایش ارسال نمی‌شود. فقط اگر خودش پیام داد پاسخ دهید.",
    "no_name": "بدون نام",
    "wants": "درخواست",
    "budget": "بودجه",
    "lead_language": "زبان مشتری",
    "score": "امتیاز",
    "why": "دلایل",
    "assigned": "کارشناس",
    "unassigned": "تعیین نشده",
    "client_card": "📇 کارت مشتری",
    "language.en": "انگلیسی",
    "language.ru": "روسی",
    "language.fa": "فارسی",
    "language.ar": "عربی",
    # a follow-up draft that waits for the rep's approval (bot.approvals)
    "approval_card": "✍️ پیش‌نویس پیام پیگیری برای {name} — فرستاده شود؟\n\n{text}",
    "approval_approve": "✅ تأیید",
    "approval_reject": "❌ رد",
    "approval_approved": "✅ برای {name} فرستاده می‌شود.",
    "approval_rejected": "❌ پیش‌نویس برای {name} رد شد و فرستاده نمی‌شود.",
    "approval_not_yours": "فقط کارشناس این مشتری می‌تواند تصمیم بگیرد.",
    "approval_gone": "این پیش‌نویس دیگر منتظر تصمیم نیست.",
    "approval_no_name": "مشتری",
    # a new prospect for the rep (agent.services.jobs.outreach)
    "prospect_card": "📇 مشتری بالقوه تازه برای شما: {name} ({handle})\nدرخواست: {context}\nیادداشت‌ها: {notes}\nایمیل: {email}\n\nپیشنهاد پیام اول:\n{opener}\n\nپیوند برای مشتری (او را به نام شما ثبت می‌کند): {link}",
    "prospect_no_link": "— (ربات مشتریان نام کاربری ندارد)",
}
