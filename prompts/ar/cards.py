"""Arabic: the cards the team bot sends on its own: hot-lead alerts, follow-up drafts to approve, new prospects."""

from __future__ import annotations

from typing import Final

TEXTS: Final[dict[str, str]] = {
    # a hot-lead alert (bot.alerts): its title per alert kind, its labels, the names of the lead's language
    "title.phone_captured": "🔥 عميل ساخن: شارك رقم هاتفه!",
    "title.burning": "🔥 عميل أصبح ملتهباً!",
    "title.handoff": "🙋 عميل يطلب التحدث إلى مندوب!",
    "title.likely": "📈 عميل مرجَّح أن يُتمّ الصفقة!",
    "title.other": "🔔 عميل مهم",
    "opted_out_title": "🔕 ألغى هذا العميل الاشتراك: لا تتصل به ولا تراسله",
    "opted_out_note": "طلب ألا نراسله بعد الآن؛ لا تُرسل إليه أي متابعات. ردّ عليه فقط إذا راسلك بنفسه.",
    "no_name": "بدون اسم",
    "wants": "يبحث عن",
    "budget": "الميزانية",
    "lead_language": "لغة العميل",
    "score": "التقييم",
    "why": "الأسباب",
    "assigned": "المندوب",
    "unassigned": "غير معيّن",
    "client_card": "📇 بطاقة العميل",
    "language.en": "الإنجليزية",
    "language.ru": "الروسية",
    "language.fa": "الفارسية",
    "language.ar": "العربية",
    # a follow-up draft that waits for the rep's approval (bot.approvals)
    "approval_card": "✍️ مسودة رسالة متابعة إلى {name} — هل أرسلها؟\n\n{text}",
    "approval_approve": "✅ موافقة",
    "approval_reject": "❌ رفض",
    "approval_approved": "✅ ستُرسل إلى {name}.",
    "approval_rejected": "❌ رُفضت المسودة الموجهة إلى {name} ولن تُرسل.",
    "approval_not_yours": "وحده مندوب هذا العميل يمكنه اتخاذ القرار.",
    "approval_gone": "هذه المسودة لم تعد بانتظار قرار.",
    "approval_no_name": "العميل",
    # a new prospect for the rep (agent.services.jobs.outreach)
    "prospect_card": "📇 عميل محتمل جديد لك: {name} ({handle})\nيبحث عن: {context}\nملاحظات: {notes}\nالبريد الإلكتروني: {email}\n\nرسالة أولى مقترحة:\n{opener}\n\nرابط للعميل (ينسبه إليك): {link}",
    "prospect_no_link": "— (ليس لبوت العملاء اسم مستخدم)",
}
