"""Persian texts of the team bot: registration, admins, the CRM, statuses. `{placeholders}` are filled by the nodes."""

from __future__ import annotations

from typing import Final

TEXTS: Final[dict[str, str]] = {
    # registration
    "greet_new": (
        "سلام! من ربات تیم فروش هستم: کارشناس‌های فروش اینجا ثبت‌نام می‌کنند، هشدار مشتری‌های داغ را می‌گیرند "
        "و مشتری‌هایشان را همین‌جا در تلگرام مدیریت می‌کنند.\n\n"
        "می‌خواهید به‌عنوان کارشناس فروش ثبت‌نام کنید؟"
    ),
    "declined": "باشد. اگر نظرتان عوض شد، کافی است به من پیام بدهید.",
    "ask_name": "عالی! اسمتان چیست؟ لطفاً نام و نام خانوادگی‌تان را بنویسید.",
    "bad_name": "این شبیه اسم نیست. لطفاً نام و نام خانوادگی‌تان را بنویسید؛ مثلاً علی رضایی.",
    "ask_email": "از آشنایی‌تان خوشحالم، {first}!\n\nایمیل سازمانی‌تان چیست؟ باید روی {domains} باشد.",
    "ask_email_any": "از آشنایی‌تان خوشحالم، {first}!\n\nایمیل کاری‌تان چیست؟",
    "email_invalid": "این شبیه آدرس ایمیل نیست. لطفاً آن را کامل بنویسید، مثلاً {example}.",
    "email_domain": (
        "متأسفانه فقط آدرس‌های سازمانی روی {domains} پذیرفته می‌شوند. لطفاً ایمیل کاری‌تان را بنویسید."
    ),
    "email_taken": (
        "این آدرس قبلاً برای کارشناس دیگری ثبت شده است. لطفاً آدرس دیگری بنویسید "
        "یا اگر اشتباهی پیش آمده، با مدیر تماس بگیرید."
    ),
    "confirm": "لطفاً بررسی کنید:\n\nنام: {name}\nایمیل: {email}\n\nدرخواست ارسال شود؟",
    "confirm_unclear": "برای ارسال درخواست «بله» و برای تغییر اطلاعات «ویرایش» را بنویسید.",
    "submitted": (
        "ممنون! درخواست شما برای مدیر فرستاده شد.\n\n"
        "وقتی بررسی شد خبرتان می‌کنم. اگر خواستید آن را لغو کنید، کافی است به من بگویید."
    ),
    "too_many": "امروز چند درخواست از شما ثبت شده است. لطفاً فردا دوباره امتحان کنید یا با مدیر تماس بگیرید.",
    "closed": "ثبت‌نام هنوز باز نیست: آژانس هنوز راه‌اندازی نشده است. لطفاً با مدیر تماس بگیرید.",
    # a pending applicant
    "pending_status": (
        "درخواست شما در حال بررسی است.\n\nنام: {name}\nایمیل: {email}\n\n"
        "به محض اینکه مدیر تصمیم بگیرد، به شما پیام می‌دهم. برای پس گرفتن درخواست، کافی است بگویید."
    ),
    "withdrawn": "درخواست شما پس گرفته شد. اگر خواستید برگردید، کافی است به من پیام بدهید.",
    # a registered rep
    "status_card": "سلام {first}!\n\nوضعیت شما: {status}\nایمیل: {email}\nتقویم: {calendar}\n\nچه کمکی از من برمی‌آید؟",
    "suspended_note": "مدیر دسترسی شما را تعلیق کرده است. اگر اشتباهی پیش آمده، لطفاً با مدیر تماس بگیرید.",
    "ask_unregister": "مطمئنید می‌خواهید از سیستم خارج شوید؟\n\nبا این کار ثبت‌نام شما لغو می‌شود.",
    "unregistered": "انجام شد، ثبت‌نام شما لغو شد.\n\nاگر خواستید برگردید، کافی است دوباره به من پیام بدهید.",
    "kept": "باشد، همه چیز همان‌طور که بود می‌ماند.",
    "ask_new_email": "لطفاً ایمیل سازمانی جدیدتان را بنویسید (روی {domains}).",
    "ask_new_email_any": "لطفاً ایمیل کاری جدیدتان را بنویسید.",
    "email_updated": "انجام شد، ایمیل شما اکنون {email} است.",
    "email_updated_calendar": (
        "انجام شد، ایمیل شما اکنون {email} است.\n\nتقویم شما به آدرس قبلی وصل بود، پس باید دوباره وصلش کنید."
    ),
    "cancelled": "باشد، لغو شد.",
    # admins
    "application_card": (
        "📝 درخواست ثبت‌نام جدید!\n\nنام: {name}\nایمیل: {email}\nتلگرام: {telegram}\nآژانس: {tenant}\n\n"
        "تأیید یا رد؟ به همین پیام پاسخ دهید (مثلاً «تأیید» یا «رد، کارمند ما نیست») "
        "یا یکی از دکمه‌ها را بزنید."
    ),
    "admin_approved": "✅ {name} به‌عنوان کارشناس فروش تأیید شد.",
    "admin_rejected": "❌ درخواست {name} رد شد.",
    "admin_rejected_reason": "❌ درخواست {name} رد شد. دلیل: {reason}",
    "already_decided": "درباره درخواست {name} قبلاً تصمیم گرفته شده است (وضعیت: {status}).",
    "not_admin": "این کار فقط از مدیران برمی‌آید. این تلاش در گزارش ثبت شد.",
    "decide_how": "به کارت درخواست با «تأیید» یا «رد» پاسخ دهید (می‌توانید دلیل هم بنویسید: «رد، کارمند ما نیست»).",
    "which_application": "منظورتان کدام درخواست است؟ به کارت آن پاسخ دهید یا انتخاب کنید:",
    "no_pending": "درخواستی در انتظار بررسی نیست.",
    "pending_list": "درخواست‌های در انتظار بررسی ({count}):\n\n{lines}",
    "active_list": "کارشناس‌های فعال ({count}):\n\n{lines}",
    "no_active": "هنوز کارشناس فعالی نداریم.",
    "admin_menu": (
        "شما مدیر هستید. می‌توانم:\n"
        "• درخواست‌های در انتظار بررسی را نشان بدهم؛\n"
        "• کارشناس‌های فعال را نشان بدهم؛\n"
        "• کارشناسی را تعلیق، بازگردانی یا حذف کنم («علی رضایی را تعلیق کن»)؛\n"
        "• کارشناسی را مدیر کنم («ali@… را مدیر کن»).\n\n"
        "برای تأیید یا رد یک درخواست، به کارت آن پاسخ دهید."
    ),
    "who_is_it": "دقیقاً چه کسی؟ نام، @username یا ایمیل کارشناس را بنویسید.",
    "nobody_found": "کارشناسی با «{query}» پیدا نکردم. نام، @username یا ایمیل را بررسی کنید.",
    "which_rep": "چند کارشناس پیدا شد. یکی را انتخاب کنید:",
    "confirm_suspend": "دسترسی {name} ({email}) تعلیق شود؟",
    "confirm_remove": "{name} ({email}) از سیستم حذف شود؟",
    "confirm_restore": "دسترسی {name} ({email}) بازگردانده شود؟",
    "confirm_promote": "{name} ({email}) مدیر شود؟",
    "done_suspend": "⏸ دسترسی {name} تعلیق شد.",
    "done_remove": "🗑 {name} از سیستم حذف شد.",
    "done_restore": "▶️ دسترسی {name} بازگردانده شد.",
    "done_promote": "⭐ {name} اکنون مدیر است.",
    "cannot_change": "انجام نشد: وضعیت فعلی {name} «{status}» است.",
    "rep_left_notice": "ℹ️ {name} ({email}) {what}.",
    "left_withdrew": "درخواستش را پس گرفت",
    "left_unregistered": "از سیستم خارج شد",
    # to the rep, after an admin decided
    "rep_approved": "خبر خوب! درخواست شما تأیید شد — به تیم خوش آمدید! 🎉",
    "rep_rejected": "متأسفانه درخواست شما تأیید نشد.",
    "rep_rejected_reason": "متأسفانه درخواست شما تأیید نشد. دلیل: {reason}",
    "rep_rejected_tail": "\n\nاگر اشتباهی پیش آمده، لطفاً با مدیر تماس بگیرید.",
    "rep_suspended": "مدیر دسترسی شما را تعلیق کرد.",
    "rep_removed": "مدیر شما را از سیستم حذف کرد. اگر اشتباهی پیش آمده، لطفاً با او تماس بگیرید.",
    "rep_restored": "دسترسی شما بازگردانده شد. خوش برگشتید!",
    "rep_promoted": "شما اکنون مدیر تیم هستید ⭐",
    # the rep's CRM
    "no_clients": "هنوز مشتری‌ای ندارید. به محض اینکه مشتری داشته باشید، اینجا نشانشان می‌دهم.",
    "clients_header": "👥 مشتری‌های شما ({count}):",
    "today_header": "📅 امروز:",
    "overdue_header": "⏰ عقب‌افتاده:",
    "clients_hint": "برای باز کردن کارت هر مشتری، روی آن بزنید.",
    "client_card": "{badge} {name}\nامتیاز: {score} · {temperature}\nوضعیت: {status}",
    "phone_line": "📞 {phone}",
    "no_phone": "📞 هنوز شماره‌ای ثبت نشده",
    "opted_out_line": "🔕 لغو اشتراک: خواسته است دیگر برایش پیام نفرستیم. تماس نگیرید؛ فقط اگر خودش پیام داد پاسخ دهید.",
    "notes_line": "📝 {notes}",
    "not_active_rep": "فهرست مشتری‌ها فقط برای کارشناس‌های فعال در دسترس است.",
    "not_your_client": "این مشتری به شما سپرده نشده است.",
    "marked_hot": "🌶️ {name} به‌عنوان مشتری داغ علامت خورد.",
    "ask_note": "یادداشتی درباره {name} بنویسید.",
    "note_saved": "📝 یادداشت ذخیره شد.",
    "choose_status": "وضعیت جدید برای {name}:",
    "status_changed": "وضعیت {name}: {status}.",
    "ask_followup": "کی درباره {name} یادآوری کنم؟ انتخاب کنید یا بنویسید، مثلاً «فردا ساعت ۱۱:۰۰».",
    "bad_time": "زمان را متوجه نشدم. مثلاً بنویسید «فردا ساعت ۱۱:۰۰» یا «۲ ساعت دیگر».",
    "followup_saved": "⏰ انجام شد: {when} — {name}. در «مشتری‌های من» نمایش داده می‌شود.",
    # buttons
    "btn_register": "بله، ثبت‌نام می‌کنم",
    "btn_no": "نه، ممنون",
    "btn_send": "ارسال",
    "btn_edit": "ویرایش",
    "btn_withdraw": "پس گرفتن درخواست",
    "btn_clients": "👥 مشتری‌های من",
    "btn_calendar": "📅 اتصال تقویم",
    "btn_update_email": "✉️ تغییر ایمیل",
    "btn_unregister": "🚪 خروج از سیستم",
    "btn_unregister_yes": "بله، خارج می‌شوم",
    "btn_stay": "نه، می‌مانم",
    "btn_approve": "✅ تأیید",
    "btn_reject": "❌ رد",
    "btn_pending": "📝 درخواست‌ها",
    "btn_active": "👥 کارشناس‌ها",
    "btn_yes": "بله",
    "btn_cancel": "لغو",
    "or": "یا",
    "btn_hot": "🌶️ داغ",
    "btn_note": "📝 یادداشت",
    "btn_status": "🔄 وضعیت",
    "btn_followup": "⏰ یادآوری",
    "btn_back": "⬅️ بازگشت به فهرست",
    "btn_in_hour": "یک ساعت دیگر",
    "btn_tomorrow": "فردا ساعت ۱۰:۰۰",
    "btn_in_3_days": "۳ روز دیگر",
    # set_admin and the adapter
    "set_admin_ok": "انجام شد: هشدارهای مشتری‌های داغ آژانس «{tenant}» به این گفتگو می‌آید.",
    "set_admin_private": "دستور /set_admin را در گروه تیمتان بفرستید تا هشدارهای مشتری‌های داغ به آنجا برود.",
    "set_admin_which": "شما مدیر چند آژانس هستید. یکی را مشخص کنید: /set_admin <کد> ({slugs}).",
    "set_admin_refused": "فقط مدیر می‌تواند گفتگوی هشدارها را تعیین کند. این تلاش در گزارش ثبت شد.",
    "rate_limited": "تعداد پیام‌های پشت سر هم زیاد است. لطفاً کمی صبر کنید.",
    "button_expired": "این دکمه دیگر معتبر نیست. هر پیامی بفرستید تا گزینه‌های فعلی را نشانتان بدهم.",
    "error": "مشکلی پیش آمد. لطفاً کمی بعد دوباره امتحان کنید — خطا را گزارش کرده‌ام.",
    "unsupported": "من متن و دکمه‌ها را می‌فهمم. لطفاً پیامتان را با کلمات بنویسید.",
    # names of statuses and temperatures
    "rep_status.pending": "در انتظار بررسی",
    "rep_status.active": "کارشناس فعال",
    "rep_status.suspended": "تعلیق‌شده",
    "rep_status.removed": "حذف‌شده",
    "calendar_connected": "وصل است ✓",
    "calendar_not_connected": "وصل نیست",
    "temperature.burning": "بسیار داغ",
    "temperature.hot": "داغ",
    "temperature.warm": "گرم",
    "temperature.cold": "سرد",
    "client_status.new": "جدید",
    "client_status.qualifying": "در حال شناخت نیاز",
    "client_status.qualified": "نیاز مشخص است",
    "client_status.contact_captured": "شماره تماس داریم",
    "client_status.viewing_scheduled": "بازدید تعیین شده",
    "client_status.handed_off": "به کارشناس سپرده شده",
    "client_status.converted": "معامله انجام شد",
    "client_status.won": "معامله انجام شد",
    "client_status.lost": "از دست رفته",
    "client_status.unreached": "تماس برقرار نشد",
    "client_status.contacted": "تماس گرفته شد",
    "client_status.in_conversation": "در حال گفتگو",
    "client_status.archived": "بایگانی‌شده",
    # پرسش‌هایی که داده‌های آگهی پاسخشان را ندارد (agent.services.questions)
    "question_card": (
        "❓ مشتری {lead} درباره {listing} می‌پرسد: {question}\n\n"
        "به همین پیام پاسخ دهید تا جواب را به مشتری برسانم ({language})."
    ),
    "question_card_general": (
        "❓ مشتری {lead} می‌پرسد: {question}\n\nبه همین پیام پاسخ دهید تا جواب را به مشتری برسانم ({language})."
    ),
    "question_reminder": (
        "⏰ مشتری {lead} هنوز منتظر پاسخ شماست: {question}\n\n"
        "به همین پیام پاسخ دهید تا جواب را به مشتری برسانم."
    ),
    "question_relayed": "✅ برای {lead} فرستاده شد.",
    "question_recorded": "✅ در پرونده {lead} ثبت شد. در تلگرام به او دسترسی ندارم؛ لطفاً مستقیم با او تماس بگیرید.",
    "question_not_delivered": "⚠️ الان نتوانستم پاسخ شما را به {lead} برسانم. لطفاً یک دقیقه دیگر دوباره بفرستید.",
    "question_already_answered": "به پرسش {lead} قبلاً پاسخ داده شده است.",
    "question_not_yours": "فقط مشاور این مشتری یا مدیر می‌تواند به این پرسش پاسخ دهد. این تلاش ثبت شد.",
    # the dashboard and API tokens (bot.dashboard)
    "dashboard_link": "پیوند ورود شما به داشبورد (فقط یک بار و تا ۱۰ دقیقه؛ آن را برای کسی نفرستید):\n{url}",
    "dashboard_button": "داشبورد",
    "dashboard_open": "یا داشبورد را همین\u200cجا در تلگرام باز کنید:",
    "dashboard_refused": "داشبورد برای نمایندگان فعال و مدیران است. اگر درخواست داده\u200cاید، منتظر تأیید مدیر بمانید.",
    "api_tokens_admins_only": "فقط مدیر می\u200cتواند توکن\u200cهای API را مدیریت کند.",
    "api_token_created": "توکن API تازه «{name}» ({prefix}). همین حالا آن را کپی کنید: فقط یک بار نشان داده می\u200cشود.\n\n{token}\n\nآن را در سرآیند Authorization: Bearer <token> بفرستید.",
    "api_tokens_none": "آژانس شما هنوز توکن API ندارد. برای ساختن بنویسید «new API token <نام>».",
    "api_tokens_head": "توکن\u200cهای API آژانس {agency}:",
    "api_token_line": "{prefix}… · {name} · {state}",
    "api_token_live": "آخرین استفاده {used}",
    "api_token_never_used": "هنوز استفاده نشده",
    "api_token_revoked_state": "باطل شده",
    "api_token_revoked": "توکن API \u200f{prefix}… («{name}») باطل شد و دیگر چیزی را باز نمی\u200cکند.",
    "api_token_not_found": "هیچ توکن API فعالِ یکتایی با «{prefix}» شروع نمی\u200cشود. برای دیدن فهرست بنویسید «API tokens».",
}
