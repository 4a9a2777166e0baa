"""Persian: the learned conversion likelihood and its reasons (agent.core.conversion, prompts.conversion)."""

from __future__ import annotations

from typing import Final

# The base score's statements (prompts/fa/scoring.py) word the factors they share; these word the rest.
TEXTS: Final[dict[str, str]] = {
    "likely": "احتمال معامله {percent}",
    "model": "مدل {date}، AUC {auc}",
    "line": "امتیاز {score} {badge} · {likely} ({model})",
    "for": "به سود معامله",
    "against": "به زیان معامله",
    "factor": "{statement} ({weight})",
    "reasons": "{label}: {reasons}",
    "voice_yes": "پیام‌های صوتی: {n}",
    "hour_weekend": "درخواست در آخر هفته، بین {hh}:00 و {hh}:59 به وقت محلی",
    "reply_none": "هنوز به ما پاسخ نداده",
    "reply_minutes": "حدود {n} دقیقه بعد پاسخ می‌دهد",
    "follow_up_replies": "پاسخ به پیگیری‌ها: {n}",
    "words_per_message": "حدود {n} کلمه در هر پیام",
    "viewing_none": "هنوز بازدیدی نبوده",
    "viewing_booked": "بازدیدهای رزرو شده: {n}",
    "viewing_attended": "به بازدید آمد",
    "viewing_interested": "پس از بازدید علاقه نشان داد",
    "viewing_not_interested": "پس از بازدید علاقه‌ای نداشت",
    "viewing_no_show": "به بازدید نیامد",
    "viewing_made_offer": "پس از بازدید پیشنهاد داد",
    "price_unknown": "ملک‌های نشان داده شده با بودجه قابل مقایسه نیستند",
    "price_to_budget": "ملک‌های نشان داده شده {n}٪ بودجه قیمت دارند",
}
