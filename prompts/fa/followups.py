"""Persian follow-up texts, at most 160 characters once filled (agent.core.policies.followup_text)."""

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
}
