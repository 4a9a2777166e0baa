"""Persian follow-up texts (at most 160 characters once filled: agent.core.policies.followup_text), outreach and e-mail lines."""

from __future__ import annotations

from typing import Final

# {hi}: the greeting; {wish}: what the lead asked for; {match}: a real listing's title.
TEXTS: Final[dict[str, str]] = {
    "check_in": "{hi}، هنوز دنبال {wish} هستید؟ می‌توانم گزینه‌های تازه بفرستم یا بازدید رزرو کنم.",
    "ghost": "{hi}، جستجوی {wish} به کجا رسید؟ هر وقت راحت بودید جواب بدهید.",
    "listings": "{hi}، از گزینه‌های {wish} چیزی پسندیدید؟ می‌توانم بازدید رزرو کنم.",
    "viewing": "{hi}، دوست دارید {wish} را از نزدیک ببینید؟ روز مناسب را بگویید.",
    "match": "{hi}، یک آگهی جدید با جستجوی شما ({wish}) می‌خواند: {match}. جزئیات بفرستم؟",
    # when we know nothing of what the lead wants: an honest question instead of a made-up wish
    "generic": "{hi}، خواستم حالی بپرسم. دنبال چه ملکی هستید؟ با کمال میل کمک می‌کنم.",
    "hello_named": "سلام {name}",
    "hello": "سلام",
    # Ghost Protocol, only when the catalog really has a listing that fits ({match})
    "ghost_match": "{hi}، همکارم ملکی مطابق خواسته شما ({wish}) پیدا کرد: {match}. کی می‌توانید صحبت کنید؟",
    # outreach: the first message to a prospect, and the line that ends its e-mail
    "outreach_opener": "سلام {name}، من {rep} از {agency} هستم. گفته بودید: «{context}». می‌توانم گزینه‌های مناسب را پیدا کنم و به سؤال‌ها پاسخ دهم. چه زمانی برای گفتگو مناسب است؟",
    "outreach_opener_no_context": "سلام {name}، من {rep} از {agency} هستم. خوشحال می‌شوم در جستجوی ملک کمکتان کنم. دنبال چه هستید؟",
    "outreach_email_link": "در تلگرام به ما پیام دهید: {link}",
    # the subject of a follow-up e-mail, before the agency's name
    "email_subject": "جستجوی ملک شما",
}
