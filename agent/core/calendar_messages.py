"""What the calendar features say to reps and leads, in the four languages the agent speaks (en, ru, fa, ar).

Times are always shown on the reader's own wall clock with the zone named, so a lead in Moscow and a rep
in Bali read the same viewing as their own 10:00 and 15:00.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from agent.core.policies.vocabulary import language_of

_WEEKDAYS = {
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    "ru": ("пн", "вт", "ср", "чт", "пт", "сб", "вс"),
    "fa": ("دوشنبه", "سه‌شنبه", "چهارشنبه", "پنجشنبه", "جمعه", "شنبه", "یکشنبه"),
    "ar": ("الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"),
}
_MONTHS = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "ru": ("янв", "фев", "мар", "апр", "мая", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"),
    "fa": (
        "ژانویه",
        "فوریه",
        "مارس",
        "آوریل",
        "مه",
        "ژوئن",
        "ژوئیه",
        "اوت",
        "سپتامبر",
        "اکتبر",
        "نوامبر",
        "دسامبر",
    ),
    "ar": (
        "يناير",
        "فبراير",
        "مارس",
        "أبريل",
        "مايو",
        "يونيو",
        "يوليو",
        "أغسطس",
        "سبتمبر",
        "أكتوبر",
        "نوفمبر",
        "ديسمبر",
    ),
}


def format_when(instant: datetime, zone: ZoneInfo, language: str) -> str:
    """ "Tue 10 Mar, 10:00 (America/Los_Angeles)" on the reader's clock, in their language."""
    lang = language_of(language)
    local = instant.astimezone(zone)
    weekday = _WEEKDAYS[lang][local.weekday()]
    month = _MONTHS[lang][local.month - 1]
    return f"{weekday} {local.day} {month}, {local:%H:%M} ({zone.key})"


def say(key: str, language: str | None, **values: object) -> str:
    """The text `key` in `language` (English when missing), with `{placeholders}` filled."""
    texts = TEXTS[key]
    return texts.get(language_of(language), texts["en"]).format(**values)


TEXTS: dict[str, dict[str, str]] = {
    # --- Connecting Google Calendar (team bot, to the rep) ---
    "connect_prompt": {
        "en": "Let's connect your Google Calendar so viewings land on it.\n\n"
        "1. Open this link and sign in with your {domain} account:\n{url}\n"
        "2. Allow access. Your browser then shows an address starting with {redirect} "
        "(the page itself may not load; that is expected).\n"
        "3. Copy that whole address and send it to me.\n\nThe link works for {minutes} minutes.",
        "ru": "Давайте подключим ваш Google Календарь, чтобы просмотры попадали в него.\n\n"
        "1. Откройте ссылку и войдите в аккаунт {domain}:\n{url}\n"
        "2. Разрешите доступ. Браузер покажет адрес, начинающийся с {redirect} "
        "(сама страница может не открыться, так и должно быть).\n"
        "3. Скопируйте этот адрес целиком и пришлите мне.\n\nСсылка действует {minutes} минут.",
        "fa": "بیایید تقویم گوگل شما را وصل کنیم تا بازدیدها در آن ثبت شوند.\n\n"
        "۱. این لینک را باز کنید و با حساب {domain} وارد شوید:\n{url}\n"
        "۲. دسترسی را تأیید کنید. مرورگر آدرسی نشان می‌دهد که با {redirect} شروع می‌شود "
        "(ممکن است خود صفحه باز نشود؛ طبیعی است).\n"
        "۳. کل آن آدرس را کپی کنید و برای من بفرستید.\n\nاین لینک {minutes} دقیقه اعتبار دارد.",
        "ar": "لنربط تقويم Google الخاص بك لتظهر المعاينات فيه.\n\n"
        "١. افتح هذا الرابط وسجّل الدخول بحساب {domain}:\n{url}\n"
        "٢. اسمح بالوصول. سيعرض المتصفح عنواناً يبدأ بـ {redirect} "
        "(قد لا تفتح الصفحة نفسها، وهذا متوقع).\n"
        "٣. انسخ العنوان كاملاً وأرسله لي.\n\nالرابط صالح لمدة {minutes} دقيقة.",
    },
    "connect_prompt_callback": {
        "en": "Let's connect your Google Calendar so viewings land on it.\n\n"
        "Open this link, sign in with your {domain} account and allow access:\n{url}\n\n"
        "I will confirm here as soon as it is done. The link works for {minutes} minutes.",
        "ru": "Давайте подключим ваш Google Календарь, чтобы просмотры попадали в него.\n\n"
        "Откройте ссылку, войдите в аккаунт {domain} и разрешите доступ:\n{url}\n\n"
        "Я подтвержу здесь, как только всё получится. Ссылка действует {minutes} минут.",
        "fa": "بیایید تقویم گوگل شما را وصل کنیم تا بازدیدها در آن ثبت شوند.\n\n"
        "این لینک را باز کنید، با حساب {domain} وارد شوید و دسترسی را تأیید کنید:\n{url}\n\n"
        "به محض انجام، همین‌جا خبر می‌دهم. این لینک {minutes} دقیقه اعتبار دارد.",
        "ar": "لنربط تقويم Google الخاص بك لتظهر المعاينات فيه.\n\n"
        "افتح هذا الرابط وسجّل الدخول بحساب {domain} واسمح بالوصول:\n{url}\n\n"
        "سأؤكد هنا فور الانتهاء. الرابط صالح لمدة {minutes} دقيقة.",
    },
    "connected": {
        "en": "Calendar connected ✓ ({account}). New viewings will appear in it.",
        "ru": "Календарь подключен ✓ ({account}). Новые просмотры будут появляться в нём.",
        "fa": "تقویم وصل شد ✓ ({account}). بازدیدهای جدید در آن ثبت می‌شوند.",
        "ar": "تم ربط التقويم ✓ ({account}). ستظهر المعاينات الجديدة فيه.",
    },
    "calendar_status_connected": {
        "en": "Calendar: connected ✓ ({account})",
        "ru": "Календарь: подключен ✓ ({account})",
        "fa": "تقویم: وصل است ✓ ({account})",
        "ar": "التقويم: متصل ✓ ({account})",
    },
    "calendar_status_internal": {
        "en": "Calendar: internal (Google Calendar not connected)",
        "ru": "Календарь: внутренний (Google Календарь не подключен)",
        "fa": "تقویم: داخلی (تقویم گوگل وصل نیست)",
        "ar": "التقويم: داخلي (تقويم Google غير متصل)",
    },
    "calendar_status_unchecked": {
        "en": "Calendar: {account}, could not be checked right now",
        "ru": "Календарь: {account}, сейчас не удалось проверить",
        "fa": "تقویم: {account}، الان امکان بررسی نبود",
        "ar": "التقويم: {account}، تعذّر التحقق منه الآن",
    },
    "link_expired": {
        "en": "That authorization link has expired. Here is a fresh one.",
        "ru": "Срок действия ссылки истёк. Вот новая.",
        "fa": "اعتبار آن لینک تمام شده است. این یک لینک تازه است.",
        "ar": "انتهت صلاحية رابط التفويض. إليك رابطاً جديداً.",
    },
    "no_pending_link": {
        "en": 'I have no calendar link waiting for you. Say "connect calendar" and I will send one.',
        "ru": "У меня нет ожидающей ссылки для календаря. Напишите «подключить календарь», и я пришлю её.",
        "fa": "لینک تقویمی در انتظار شما ندارم. بنویسید «اتصال تقویم» تا یکی بفرستم.",
        "ar": "لا يوجد رابط تقويم بانتظارك. اكتب «ربط التقويم» وسأرسل لك واحداً.",
    },
    "wrong_domain": {
        "en": "{email} is not a {domain} account. Please sign in with your corporate account and send me the new address.",
        "ru": "{email} не является аккаунтом {domain}. Войдите под корпоративным аккаунтом и пришлите новый адрес.",
        "fa": "{email} حساب {domain} نیست. لطفاً با حساب سازمانی وارد شوید و آدرس جدید را بفرستید.",
        "ar": "{email} ليس حساباً على {domain}. يرجى تسجيل الدخول بحسابك المؤسسي وإرسال العنوان الجديد.",
    },
    "denied": {
        "en": "Google says access was not allowed. Open the link again and press Allow.",
        "ru": "Google сообщает, что доступ не разрешён. Откройте ссылку ещё раз и нажмите «Разрешить».",
        "fa": "گوگل می‌گوید دسترسی داده نشد. دوباره لینک را باز کنید و «اجازه» را بزنید.",
        "ar": "يقول Google إن الوصول لم يُسمح به. افتح الرابط مرة أخرى واضغط «السماح».",
    },
    "missing_permissions": {
        "en": "Some calendar permissions were left unticked. Open the link again and allow all of them.",
        "ru": "Часть разрешений календаря не отмечена. Откройте ссылку ещё раз и разрешите всё.",
        "fa": "برخی از مجوزهای تقویم تیک نخورده‌اند. دوباره لینک را باز کنید و همه را مجاز کنید.",
        "ar": "لم يتم تحديد بعض أذونات التقويم. افتح الرابط مرة أخرى واسمح بها جميعاً.",
    },
    "code_rejected": {
        "en": "Google did not accept that code (it may be used or too old). Here is a fresh link.",
        "ru": "Google не принял этот код (возможно, он уже использован или устарел). Вот новая ссылка.",
        "fa": "گوگل این کد را نپذیرفت (شاید استفاده شده یا قدیمی است). این یک لینک تازه است.",
        "ar": "لم يقبل Google هذا الرمز (ربما استُخدم أو انتهت صلاحيته). إليك رابطاً جديداً.",
    },
    "not_a_code": {
        "en": "That does not look like the address from Google. Copy the whole address from the browser bar after you allowed access.",
        "ru": "Это не похоже на адрес от Google. Скопируйте адрес целиком из строки браузера после разрешения доступа.",
        "fa": "این شبیه آدرس گوگل نیست. پس از تأیید دسترسی، کل آدرس را از نوار مرورگر کپی کنید.",
        "ar": "لا يبدو هذا كالعنوان من Google. انسخ العنوان كاملاً من شريط المتصفح بعد السماح بالوصول.",
    },
    "google_unavailable": {
        "en": "Google is not answering right now. Please send the same address again in a few minutes.",
        "ru": "Google сейчас не отвечает. Пришлите тот же адрес ещё раз через несколько минут.",
        "fa": "گوگل الان پاسخ نمی‌دهد. چند دقیقه دیگر همان آدرس را دوباره بفرستید.",
        "ar": "Google لا يستجيب الآن. أرسل العنوان نفسه مرة أخرى بعد بضع دقائق.",
    },
    "google_not_configured": {
        "en": "Google Calendar is not set up for this team yet, so your viewings use the internal calendar.",
        "ru": "Google Календарь для команды ещё не настроен, поэтому просмотры идут во внутренний календарь.",
        "fa": "تقویم گوگل هنوز برای این تیم تنظیم نشده است؛ بازدیدها در تقویم داخلی ثبت می‌شوند.",
        "ar": "لم يتم إعداد تقويم Google لهذا الفريق بعد، لذا تُسجَّل المعاينات في التقويم الداخلي.",
    },
    "reconnect_needed": {
        "en": "Your Google Calendar access has expired or was revoked. Until you reconnect, viewings go to the "
        'internal calendar. Say "connect calendar" to reconnect.',
        "ru": "Доступ к вашему Google Календарю истёк или был отозван. Пока вы не переподключитесь, просмотры "
        "записываются во внутренний календарь. Напишите «подключить календарь».",
        "fa": "دسترسی به تقویم گوگل شما منقضی یا لغو شده است. تا زمان اتصال دوباره، بازدیدها در تقویم داخلی "
        "ثبت می‌شوند. بنویسید «اتصال تقویم».",
        "ar": "انتهت صلاحية الوصول إلى تقويم Google الخاص بك أو أُلغي. حتى تعيد الربط، تُسجَّل المعاينات في "
        "التقويم الداخلي. اكتب «ربط التقويم».",
    },
    # --- Viewings (lead bot to the lead, team bot to the rep) ---
    "event_summary": {
        "en": "Viewing: {title} — {lead}",
        "ru": "Просмотр: {title} — {lead}",
        "fa": "بازدید: {title} — {lead}",
        "ar": "معاينة: {title} — {lead}",
    },
    "a_property": {"en": "a property", "ru": "объект", "fa": "ملک", "ar": "عقار"},
    "booked_lead": {
        "en": "Your viewing is booked: {title}, {when}, with {rep}.{link}",
        "ru": "Просмотр назначен: {title}, {when}, агент {rep}.{link}",
        "fa": "بازدید شما رزرو شد: {title}، {when}، با {rep}.{link}",
        "ar": "تم حجز معاينتك: {title}، {when}، مع {rep}.{link}",
    },
    "booked_rep": {
        "en": "New viewing: {title}, {when}, with {lead}.{link}",
        "ru": "Новый просмотр: {title}, {when}, клиент {lead}.{link}",
        "fa": "بازدید جدید: {title}، {when}، با {lead}.{link}",
        "ar": "معاينة جديدة: {title}، {when}، مع {lead}.{link}",
    },
    "moved_lead": {
        "en": "Your viewing is moved: {title}, now {when}.{link}",
        "ru": "Просмотр перенесён: {title}, теперь {when}.{link}",
        "fa": "بازدید شما جابه‌جا شد: {title}، اکنون {when}.{link}",
        "ar": "تم نقل معاينتك: {title}، الآن {when}.{link}",
    },
    "moved_rep": {
        "en": "Viewing moved: {title} with {lead}, now {when}.{link}",
        "ru": "Просмотр перенесён: {title}, клиент {lead}, теперь {when}.{link}",
        "fa": "بازدید جابه‌جا شد: {title} با {lead}، اکنون {when}.{link}",
        "ar": "تم نقل المعاينة: {title} مع {lead}، الآن {when}.{link}",
    },
    "cancelled_lead": {
        "en": "Your viewing ({title}, {when}) is cancelled. Write any time to pick a new one.",
        "ru": "Просмотр ({title}, {when}) отменён. Напишите, когда захотите выбрать новое время.",
        "fa": "بازدید شما ({title}، {when}) لغو شد. هر زمان خواستید برای زمان جدید پیام دهید.",
        "ar": "تم إلغاء معاينتك ({title}، {when}). راسلنا في أي وقت لاختيار موعد جديد.",
    },
    "cancelled_rep": {
        "en": "Viewing cancelled: {title} with {lead}, {when}.",
        "ru": "Просмотр отменён: {title}, клиент {lead}, {when}.",
        "fa": "بازدید لغو شد: {title} با {lead}، {when}.",
        "ar": "تم إلغاء المعاينة: {title} مع {lead}، {when}.",
    },
    "meeting_link": {
        "en": "\nVideo call: {url}",
        "ru": "\nВидеозвонок: {url}",
        "fa": "\nتماس تصویری: {url}",
        "ar": "\nمكالمة فيديو: {url}",
    },
    "invitation_caption": {
        "en": "Add it to your calendar",
        "ru": "Добавьте в свой календарь",
        "fa": "به تقویم خود اضافه کنید",
        "ar": "أضفها إلى تقويمك",
    },
    # --- Reminders ---
    "reminder_lead_24h": {
        "en": "Reminder: your viewing of {title} is tomorrow, {when}, with {rep}.{where}{link}",
        "ru": "Напоминание: просмотр {title} завтра, {when}, агент {rep}.{where}{link}",
        "fa": "یادآوری: بازدید {title} فردا، {when}، با {rep}.{where}{link}",
        "ar": "تذكير: معاينة {title} غداً، {when}، مع {rep}.{where}{link}",
    },
    "reminder_lead_1h": {
        "en": "Your viewing of {title} starts in an hour, {when}.{where}{link} See you soon!",
        "ru": "Просмотр {title} через час, {when}.{where}{link} До встречи!",
        "fa": "بازدید {title} یک ساعت دیگر شروع می‌شود، {when}.{where}{link} به زودی می‌بینیمتان!",
        "ar": "تبدأ معاينة {title} بعد ساعة، {when}.{where}{link} نراك قريباً!",
    },
    "reminder_rep_24h": {
        "en": "Tomorrow: viewing of {title} with {lead} ({phone}), {when}.{where}{link}",
        "ru": "Завтра: просмотр {title}, клиент {lead} ({phone}), {when}.{where}{link}",
        "fa": "فردا: بازدید {title} با {lead} ({phone})، {when}.{where}{link}",
        "ar": "غداً: معاينة {title} مع {lead} ({phone})، {when}.{where}{link}",
    },
    "reminder_rep_1h": {
        "en": "In an hour: viewing of {title} with {lead} ({phone}), {when}.{where}{link}",
        "ru": "Через час: просмотр {title}, клиент {lead} ({phone}), {when}.{where}{link}",
        "fa": "یک ساعت دیگر: بازدید {title} با {lead} ({phone})، {when}.{where}{link}",
        "ar": "بعد ساعة: معاينة {title} مع {lead} ({phone})، {when}.{where}{link}",
    },
    "where": {
        "en": "\nAddress: {address}",
        "ru": "\nАдрес: {address}",
        "fa": "\nنشانی: {address}",
        "ar": "\nالعنوان: {address}",
    },
    "outcome_question": {
        "en": "How did the viewing of {title} with {lead} go ({when})? Reply: attended, interested, not interested or no-show.",
        "ru": "Как прошёл просмотр {title} с клиентом {lead} ({when})? Ответьте: был, заинтересован, не заинтересован или не пришёл.",
        "fa": "بازدید {title} با {lead} ({when}) چطور بود؟ پاسخ دهید: انجام شد، علاقه‌مند، بی‌علاقه یا نیامد.",
        "ar": "كيف كانت معاينة {title} مع {lead} ({when})؟ أجب: حضر، مهتم، غير مهتم أو لم يحضر.",
    },
    "outcome_recorded": {
        "en": "Thanks, noted for {lead}: {outcome}.",
        "ru": "Спасибо, записал для {lead}: {outcome}.",
        "fa": "ممنون، برای {lead} ثبت شد: {outcome}.",
        "ar": "شكراً، تم التسجيل لـ {lead}: {outcome}.",
    },
    "outcome_attended": {"en": "attended", "ru": "был на просмотре", "fa": "انجام شد", "ar": "حضر"},
    "outcome_interested": {"en": "interested", "ru": "заинтересован", "fa": "علاقه‌مند", "ar": "مهتم"},
    "outcome_not_interested": {
        "en": "not interested",
        "ru": "не заинтересован",
        "fa": "بی‌علاقه",
        "ar": "غير مهتم",
    },
    "outcome_no_show": {"en": "no-show", "ru": "не пришёл", "fa": "نیامد", "ar": "لم يحضر"},
    # --- A rep moves or cancels a viewing from the team bot ---
    "rep_viewing_none": {
        "en": "You have no upcoming viewings to change.",
        "ru": "У вас нет предстоящих просмотров, менять нечего.",
        "fa": "بازدید پیش‌رویی برای تغییر ندارید.",
        "ar": "ليس لديك معاينات قادمة لتغييرها.",
    },
    "rep_viewing_which": {
        "en": "Which viewing?",
        "ru": "Какой просмотр?",
        "fa": "کدام بازدید؟",
        "ar": "أي معاينة؟",
    },
    "rep_viewing_choice": {
        "en": "{when}, {lead}",
        "ru": "{when}, {lead}",
        "fa": "{when}، {lead}",
        "ar": "{when}، {lead}",
    },
    "rep_viewing_refused": {
        "en": "This viewing is not assigned to you, so I can't change it.",
        "ru": "Этот просмотр закреплён не за вами, изменить его я не могу.",
        "fa": "این بازدید به شما سپرده نشده است و نمی‌توانم آن را تغییر دهم.",
        "ar": "هذه المعاينة ليست مسندة إليك، لذلك لا يمكنني تغييرها.",
    },
    "rep_viewing_gone": {
        "en": "That viewing is no longer upcoming.",
        "ru": "Этот просмотр уже не предстоит.",
        "fa": "این بازدید دیگر پیش رو نیست.",
        "ar": "لم تعد هذه المعاينة قادمة.",
    },
    "rep_viewing_options": {
        "en": "That time is not free. Free times for the viewing with {lead}:",
        "ru": "Это время занято. Свободное время для просмотра с клиентом {lead}:",
        "fa": "این زمان آزاد نیست. زمان‌های آزاد برای بازدید با {lead}:",
        "ar": "هذا الوقت غير متاح. الأوقات المتاحة للمعاينة مع {lead}:",
    },
    "rep_viewing_pick_time": {
        "en": "When should the viewing with {lead} be? Reply with a time, or pick one:",
        "ru": "На когда перенести просмотр с клиентом {lead}? Напишите время или выберите:",
        "fa": "بازدید با {lead} به چه زمانی منتقل شود؟ زمانی بنویسید یا انتخاب کنید:",
        "ar": "إلى متى تُنقل المعاينة مع {lead}؟ اكتب وقتاً أو اختر:",
    },
    "rep_viewing_no_free_time": {
        "en": "You have no other free time in the next two weeks.",
        "ru": "У вас нет другого свободного времени в ближайшие две недели.",
        "fa": "در دو هفته آینده وقت آزاد دیگری ندارید.",
        "ar": "ليس لديك وقت متاح آخر خلال الأسبوعين القادمين.",
    },
    "rep_viewing_cancel_confirm": {
        "en": "Cancel the viewing of {title} with {lead}, {when}? The client will be told.",
        "ru": "Отменить просмотр {title}, клиент {lead}, {when}? Клиенту придёт уведомление.",
        "fa": "بازدید {title} با {lead}، {when} لغو شود؟ به مشتری اطلاع داده می‌شود.",
        "ar": "هل تُلغى معاينة {title} مع {lead}، {when}؟ سيتم إبلاغ العميل.",
    },
    "button_reschedule": {"en": "Reschedule", "ru": "Перенести", "fa": "تغییر زمان", "ar": "تغيير الموعد"},
    "button_cancel": {"en": "Cancel", "ru": "Отменить", "fa": "لغو", "ar": "إلغاء"},
    "button_cancel_confirm": {
        "en": "Yes, cancel it",
        "ru": "Да, отменить",
        "fa": "بله، لغو شود",
        "ar": "نعم، ألغِها",
    },
}
