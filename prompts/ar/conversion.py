"""Arabic: the learned conversion likelihood and its reasons (agent.core.conversion, prompts.conversion)."""

from __future__ import annotations

from typing import Final

# The base score's statements (prompts/ar/scoring.py) word the factors they share; these word the rest.
TEXTS: Final[dict[str, str]] = {
    "likely": "احتمال إتمام الصفقة {percent}",
    "model": "نموذج {date}، AUC {auc}",
    "line": "التقييم {score} {badge} · {likely} ({model})",
    "for": "لصالح الصفقة",
    "against": "ضد الصفقة",
    "factor": "{statement} ({weight})",
    "reasons": "{label}: {reasons}",
    "voice_yes": "رسائل صوتية: {n}",
    "hour_weekend": "استفسار في عطلة نهاية الأسبوع، بين {hh}:00 و{hh}:59 بالتوقيت المحلي",
    "reply_none": "لم يرد علينا بعد",
    "reply_minutes": "يرد علينا خلال {n} دقيقة تقريبًا",
    "follow_up_replies": "ردود على المتابعات: {n}",
    "words_per_message": "حوالي {n} كلمة في الرسالة",
    "viewing_none": "لا معاينة بعد",
    "viewing_booked": "معاينات محجوزة: {n}",
    "viewing_attended": "حضر معاينة",
    "viewing_interested": "مهتم بعد المعاينة",
    "viewing_not_interested": "غير مهتم بعد المعاينة",
    "viewing_no_show": "لم يحضر المعاينة",
    "viewing_made_offer": "قدّم عرضًا بعد المعاينة",
    "price_unknown": "العقارات المعروضة لا تُقارن بالميزانية",
    "price_to_budget": "العقارات المعروضة تكلف {n}٪ من الميزانية",
}
