"""Persian: why a lead scored its points, one reason per score factor (agent.core.scoring, prompts.scoring)."""

from __future__ import annotations

from typing import Final

# A reason reads "<statement> — <tally>", a counted one "<statement> × <each> = <tally>"; `_one` and
# `_other` are the statement for one event and for any other count.
TEXTS: Final[dict[str, str]] = {
    "tally": "{points} از {max}",
    "note.capped": "سقف",
    "note.bonus_limit": "سقف امتیاز اضافه",
    # engagement
    "qr_scans_one": "اسکن QR: {n}",
    "qr_scans_other": "اسکن QR: {n}",
    "catalog_views_one": "مشاهده کاتالوگ: {n}",
    "catalog_views_other": "مشاهده کاتالوگ: {n}",
    "messages_one": "پیام‌ها: {n}",
    "messages_other": "پیام‌ها: {n}",
    "voice_yes_one": "پیام صوتی: {n}، امتیاز یک‌باره",
    "voice_yes_other": "پیام صوتی: {n}، امتیاز یک‌باره",
    "voice_no": "هنوز پیام صوتی نفرستاده",
    # qualification
    "field_known": "{field} مشخص است",
    "field_unknown": "{field} هنوز مشخص نیست",
    "field.phone": "شماره تلفن",
    "field.budget": "بودجه",
    "field.transaction_type": "نوع معامله",
    "field.property_type": "نوع ملک",
    "field.location": "منطقه مورد نظر",
    "field.payment_method": "روش پرداخت",
    # recency: never, then the bands of agent.core.scoring.RECENCY_BANDS and older
    "recency_none": "هنوز تعاملی ثبت نشده",
    "recency_0": "آخرین تعامل کمتر از 1 ساعت پیش",
    "recency_1": "آخرین تعامل 1 تا 6 ساعت پیش",
    "recency_2": "آخرین تعامل 6 تا 24 ساعت پیش",
    "recency_3": "آخرین تعامل 1 تا 3 روز پیش",
    "recency_4": "آخرین تعامل 3 روز پیش یا قدیمی‌تر",
    # the intent bonus
    "urgency_one": "اشاره به فوریت: {n}",
    "urgency_other": "اشاره به فوریت: {n}",
    "specific_questions_one": "سؤال‌های مشخص: {n}",
    "specific_questions_other": "سؤال‌های مشخص: {n}",
    "source": "منبع: {name}",
    "source_unknown": "منبع نامشخص",
    "source_unrated": "منبع «{name}» رتبه‌بندی نشده",
    "source.referral": "معرفی",
    "source.expo_qr": "کد QR نمایشگاه",
    "source.website": "وب‌سایت",
    "source.catalog": "کاتالوگ",
    "source.ads": "تبلیغات",
    "hour_business": "درخواست بین {hh}:00 و {hh}:59 به وقت محلی، در ساعات کاری",
    "hour_off": "درخواست بین {hh}:00 و {hh}:59 به وقت محلی، خارج از ساعات کاری",
    "hour_unknown": "زمان درخواست نامشخص",
}
