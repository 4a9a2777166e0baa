"""Arabic follow-up texts (at most 160 characters once filled: agent.core.policies.followup_text), outreach and e-mail lines."""

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
    # Ghost Protocol, only when the catalog really has a listing that fits ({match})
    "ghost_match": "{hi}، وجد زميلي عقاراً يناسب طلبك ({wish}): {match}. متى يمكنك التحدث؟",
    # outreach: the first message to a prospect, and the line that ends its e-mail
    "outreach_opener": "مرحباً {name}، أنا {rep} من {agency}. ذكرت: «{context}». يمكنني اختيار الخيارات المناسبة والإجابة عن أسئلتك. متى يناسبك الحديث؟",
    "outreach_opener_no_context": "مرحباً {name}، أنا {rep} من {agency}. يسعدني مساعدتك في البحث عن عقار. ما الذي تبحث عنه؟",
    "outreach_email_link": "راسلنا على تيليجرام: {link}",
    # the subject of a follow-up e-mail, before the agency's name
    "email_subject": "بحثك عن عقار",
}
