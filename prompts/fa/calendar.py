"""Persian texts of the calendar features: connecting Google Calendar, viewings, reminders, a rep's changes."""

from __future__ import annotations

from typing import Final

LOCALE: Final = "fa"
"""The Babel locale viewing dates and times are written in (day, month and digits of this language)."""

TEXTS: Final[dict[str, str]] = {
    # Connecting Google Calendar (team bot, to the rep)
    "connect_prompt": (
        "بیایید تقویم گوگل شما را وصل کنیم تا بازدیدها در آن ثبت شوند.\n\n"
        "۱. این لینک را باز کنید و با حساب {domain} وارد شوید:\n"
        "{url}\n"
        "۲. دسترسی را تأیید کنید. مرورگر آدرسی نشان می‌دهد که با {redirect} شروع می‌شود (ممکن "
        "است خود صفحه باز نشود؛ طبیعی است).\n"
        "۳. کل آن آدرس را کپی کنید و برای من بفرستید.\n\n"
        "این لینک {minutes} دقیقه اعتبار دارد."
    ),
    "connect_prompt_callback": (
        "بیایید تقویم گوگل شما را وصل کنیم تا بازدیدها در آن ثبت شوند.\n\n"
        "این لینک را باز کنید، با حساب {domain} وارد شوید و دسترسی را تأیید کنید:\n"
        "{url}\n\n"
        "به محض انجام، همین‌جا خبر می‌دهم. این لینک {minutes} دقیقه اعتبار دارد."
    ),
    "connected": "تقویم وصل شد ✓ ({account}). بازدیدهای جدید در آن ثبت می‌شوند.",
    "calendar_status_connected": "تقویم: وصل است ✓ ({account})",
    "calendar_status_internal": "تقویم: داخلی (تقویم گوگل وصل نیست)",
    "calendar_status_unchecked": "تقویم: {account}، الان امکان بررسی نبود",
    "link_expired": "اعتبار آن لینک تمام شده است. این یک لینک تازه است.",
    "no_pending_link": "لینک تقویمی در انتظار شما ندارم. بنویسید «اتصال تقویم» تا یکی بفرستم.",
    "wrong_domain": "{email} حساب {domain} نیست. لطفاً با حساب سازمانی وارد شوید و آدرس جدید را بفرستید.",
    "denied": "گوگل می‌گوید دسترسی داده نشد. دوباره لینک را باز کنید و «اجازه» را بزنید.",
    "missing_permissions": "برخی از مجوزهای تقویم تیک نخورده‌اند. دوباره لینک را باز کنید و همه را مجاز کنید.",
    "code_rejected": "گوگل این کد را نپذیرفت (شاید استفاده شده یا قدیمی است). این یک لینک تازه است.",
    "not_a_code": "این شبیه آدرس گوگل نیست. پس از تأیید دسترسی، کل آدرس را از نوار مرورگر کپی کنید.",
    "google_unavailable": "گوگل الان پاسخ نمی‌دهد. چند دقیقه دیگر همان آدرس را دوباره بفرستید.",
    "google_not_configured": "تقویم گوگل هنوز برای این تیم تنظیم نشده است؛ بازدیدها در تقویم داخلی ثبت می‌شوند.",
    "reconnect_needed": (
        "دسترسی به تقویم گوگل شما منقضی یا لغو شده است. تا زمان اتصال دوباره، بازدیدها در تقویم "
        "داخلی ثبت می‌شوند. بنویسید «اتصال تقویم»."
    ),
    # Viewings (lead bot to the lead, team bot to the rep)
    "event_summary": "بازدید: {title} — {lead}",
    "a_property": "ملک",
    "booked_lead": "بازدید شما رزرو شد: {title}، {when}، با {rep}.{link}",
    "booked_rep": "بازدید جدید: {title}، {when}، با {lead}.{link}",
    "moved_lead": "بازدید شما جابه‌جا شد: {title}، اکنون {when}.{link}",
    "moved_rep": "بازدید جابه‌جا شد: {title} با {lead}، اکنون {when}.{link}",
    "cancelled_lead": "بازدید شما ({title}، {when}) لغو شد. هر زمان خواستید برای زمان جدید پیام دهید.",
    "cancelled_rep": "بازدید لغو شد: {title} با {lead}، {when}.",
    "meeting_link": ("\nتماس تصویری: {url}"),
    "invitation_caption": "به تقویم خود اضافه کنید",
    # Reminders
    "reminder_lead_24h": "یادآوری: بازدید {title} فردا، {when}، با {rep}.{where}{link}",
    "reminder_lead_1h": "بازدید {title} یک ساعت دیگر شروع می‌شود، {when}.{where}{link} به زودی می‌بینیمتان!",
    "reminder_rep_24h": "فردا: بازدید {title} با {lead} ({phone})، {when}.{where}{link}",
    "reminder_rep_1h": "یک ساعت دیگر: بازدید {title} با {lead} ({phone})، {when}.{where}{link}",
    "where": ("\nنشانی: {address}"),
    "outcome_question": (
        "بازدید {title} با {lead} ({when}) چطور بود؟ پاسخ دهید: انجام شد، علاقه‌مند، پیشنهاد داد، بی‌علاقه یا نیامد."
    ),
    "outcome_recorded": "ممنون، برای {lead} ثبت شد: {outcome}.",
    "outcome_attended": "انجام شد",
    "outcome_interested": "علاقه‌مند",
    "outcome_not_interested": "بی‌علاقه",
    "outcome_no_show": "نیامد",
    "outcome_made_offer": "پیشنهاد داد",
    # A rep moves or cancels a viewing from the team bot
    "rep_viewing_none": "بازدید پیش‌رویی برای تغییر ندارید.",
    "rep_viewing_which": "کدام بازدید؟",
    "rep_viewing_choice": "{when}، {lead}",
    "rep_viewing_refused": "این بازدید به شما سپرده نشده است و نمی‌توانم آن را تغییر دهم.",
    "rep_viewing_gone": "این بازدید دیگر پیش رو نیست.",
    "rep_viewing_options": "این زمان آزاد نیست. زمان‌های آزاد برای بازدید با {lead}:",
    "rep_viewing_pick_time": "بازدید با {lead} به چه زمانی منتقل شود؟ زمانی بنویسید یا انتخاب کنید:",
    "rep_viewing_no_free_time": "در دو هفته آینده وقت آزاد دیگری ندارید.",
    "rep_viewing_cancel_confirm": "بازدید {title} با {lead}، {when} لغو شود؟ به مشتری اطلاع داده می‌شود.",
    "button_reschedule": "تغییر زمان",
    "button_cancel": "لغو",
    "button_cancel_confirm": "بله، لغو شود",
    # A viewing the lead cannot have (book_viewing, reschedule_viewing, cancel_viewing)
    "unavailable.no_rep": "در حال حاضر مشاوری برای بازدید در دسترس نیست. می‌توانم درخواست شما را به تیم بدهم.",
    "unavailable.no_free_slot": "در دو هفته آینده وقت خالی برای بازدید نداریم.",
    "unavailable.listing_unavailable": "این ملک برای بازدید در دسترس نیست.",
    # رزرو مثل یک آدم (پیشنهاد زمان، روز تعطیل مشاور، زمانی که نمی‌شود رزرو کرد)
    "proposal": "{when} برای بازدید از {title} آزاد است. رزرو کنم؟",
    "proposal_more": "این زمان‌ها هم آزاد است: {times}.",
    "day_off": "مشاور ما {day} بازدید ندارد. نزدیک‌ترین روزها: {days}. کدام برایتان مناسب است؟",
    "invalid.past": "این زمان گذشته است. چه روز و ساعتی برایتان مناسب است؟",
    "invalid.too_far": "بازدید را حداکثر تا یک سال آینده می‌توانم رزرو کنم. چه تاریخی در این بازه مناسب است؟",
    "invalid.no_such_time": "چنین ساعتی وجود ندارد ({said}). چه ساعتی برایتان مناسب است؟",
    "needs_listing": "کدام ملک را می‌خواهید ببینید؟",
    "needs_listing_open": "کدام ملک را می‌خواهید ببینید؟ نامش را بگویید، یا بگویید دنبال چه هستید تا چند گزینه نشانتان بدهم.",
    "no_phone_contact": "مشاور ما همین‌جا در این گفتگو با شما تماس می‌گیرد.",
    "proposal_phone": "و شماره تلفنی که مشاور ما بتواند با شما تماس بگیرد چیست؟",
    "choice_yes": "✅ {when}",
    "times_on_day": "{day}: {times}",
    "lead_viewing_none": "بازدید پیش‌رویی برای تغییر وجود ندارد.",
    "lead_viewing_no_free_time": "مشاور شما در دو هفته آینده وقت آزاد دیگری ندارد.",
    # The page the rep's browser shows after Google's consent screen (bot.calendar)
    "page_title": "تقویم",
    "page_connected": "تقویم وصل شد ✓",
    "page_not_connected": "تقویم وصل نشد",
    "page_no_state": "پارامتر state در این نشانی نیست.",
    "page_unknown_link": "این پیوند ناشناخته است یا قبلاً استفاده شده. از ربات پیوند تازه بخواهید.",
    "page_close_tab": "می‌توانید این زبانه را ببندید و به تلگرام برگردید.",
}
