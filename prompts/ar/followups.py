"""Arabic follow-up texts, at most 160 characters once filled (agent.core.policies.followup_text)."""

from __future__ import annotations

from typing import Final

# {hi}: the greeting; {wish}: what the lead asked for; {match}: a real listing's title.
TEXTS: Final[dict[str, str]] = {
    "check_in": "{hi}، هل ما زلت تبحث عن {wish}؟ يمكنني إرسال خيارات جديدة أو حجز معاينة.",
    "ghost": "{hi}، ما أخبار بحثك عن {wish}؟ رد عندما يناسبك.",
    "listings": "{hi}، هل أعجبك أحد خيارات {wish}؟ يمكنني حجز معاينة.",
    "viewing": "{hi}، هل تود رؤية {wish} على الطبيعة؟ أخبرني باليوم المناسب.",
    "match": "{hi}، عقار جديد يطابق بحثك ({wish}): {match}. هل أرسل التفاصيل؟",
    # when we know nothing of what the lead wants: an honest question instead of a made-up wish
    "generic": "{hi}، أردت الاطمئنان عليك. ما نوع العقار الذي تبحث عنه؟ يسعدني المساعدة.",
    "hello_named": "مرحباً {name}",
    "hello": "مرحباً",
}
