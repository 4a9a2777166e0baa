"""Arabic: why a lead scored its points, one reason per score factor (agent.core.scoring, prompts.scoring)."""

from __future__ import annotations

from typing import Final

# A reason reads "<statement> — <tally>", a counted one "<statement> × <each> = <tally>"; `_one` and
# `_other` are the statement for one event and for any other count.
TEXTS: Final[dict[str, str]] = {
    "tally": "{points} من {max}",
    "note.capped": "الحد الأقصى",
    "note.bonus_limit": "حد المكافأة",
    # engagement
    "qr_scans_one": "مسح رمز QR: {n}",
    "qr_scans_other": "مسح رمز QR: {n}",
    "catalog_views_one": "مشاهدات الكتالوج: {n}",
    "catalog_views_other": "مشاهدات الكتالوج: {n}",
    "messages_one": "الرسائل: {n}",
    "messages_other": "الرسائل: {n}",
    "voice_yes_one": "رسائل صوتية: {n}، مكافأة لمرة واحدة",
    "voice_yes_other": "رسائل صوتية: {n}، مكافأة لمرة واحدة",
    "voice_no": "لا توجد رسالة صوتية بعد",
    # qualification
    "field_known": "تم تحديد {field}",
    "field_unknown": "لم يتم تحديد {field} بعد",
    "field.phone": "رقم الهاتف",
    "field.budget": "الميزانية",
    "field.transaction_type": "نوع الصفقة",
    "field.property_type": "نوع العقار",
    "field.location": "الموقع المفضل",
    "field.payment_method": "طريقة الدفع",
    # recency: never, then the bands of agent.core.scoring.RECENCY_BANDS and older
    "recency_none": "لا يوجد تفاعل مسجل بعد",
    "recency_0": "آخر تفاعل قبل أقل من ساعة",
    "recency_1": "آخر تفاعل قبل 1–6 ساعات",
    "recency_2": "آخر تفاعل قبل 6–24 ساعة",
    "recency_3": "آخر تفاعل قبل 1–3 أيام",
    "recency_4": "آخر تفاعل قبل 3 أيام أو أكثر",
    # the intent bonus
    "urgency_one": "إشارات الاستعجال: {n}",
    "urgency_other": "إشارات الاستعجال: {n}",
    "specific_questions_one": "أسئلة محددة: {n}",
    "specific_questions_other": "أسئلة محددة: {n}",
    "source": "المصدر: {name}",
    "source_unknown": "المصدر غير معروف",
    "source_unrated": "المصدر «{name}» غير مصنف",
    "source.referral": "إحالة",
    "source.expo_qr": "رمز QR في المعرض",
    "source.website": "الموقع الإلكتروني",
    "source.catalog": "الكتالوج",
    "source.ads": "الإعلانات",
    "hour_business": "استفسار بين {hh}:00 و{hh}:59 بالتوقيت المحلي، ضمن ساعات العمل",
    "hour_off": "استفسار بين {hh}:00 و{hh}:59 بالتوقيت المحلي، خارج ساعات العمل",
    "hour_unknown": "وقت الاستفسار غير معروف",
}
