"""Arabic texts of the calendar features: connecting Google Calendar, viewings, reminders, a rep's changes."""

from __future__ import annotations

from typing import Final

LOCALE: Final = "ar"
"""The Babel locale viewing dates and times are written in (day, month and digits of this language)."""

TEXTS: Final[dict[str, str]] = {
    # Connecting Google Calendar (team bot, to the rep)
    "connect_prompt": (
        "لنربط تقويم Google الخاص بك لتظهر المعاينات فيه.\n\n"
        "١. افتح هذا الرابط وسجّل الدخول بحساب {domain}:\n"
        "{url}\n"
        "٢. اسمح بالوصول. سيعرض المتصفح عنواناً يبدأ بـ {redirect} (قد لا تفتح الصفحة نفسها، "
        "وهذا متوقع).\n"
        "٣. انسخ العنوان كاملاً وأرسله لي.\n\n"
        "الرابط صالح لمدة {minutes} دقيقة."
    ),
    "connect_prompt_callback": (
        "لنربط تقويم Google الخاص بك لتظهر المعاينات فيه.\n\n"
        "افتح هذا الرابط وسجّل الدخول بحساب {domain} واسمح بالوصول:\n"
        "{url}\n\n"
        "سأؤكد هنا فور الانتهاء. الرابط صالح لمدة {minutes} دقيقة."
    ),
    "connected": "تم ربط التقويم ✓ ({account}). ستظهر المعاينات الجديدة فيه.",
    "calendar_status_connected": "التقويم: متصل ✓ ({account})",
    "calendar_status_internal": "التقويم: داخلي (تقويم Google غير متصل)",
    "calendar_status_unchecked": "التقويم: {account}، تعذّر التحقق منه الآن",
    "link_expired": "انتهت صلاحية رابط التفويض. إليك رابطاً جديداً.",
    "no_pending_link": "لا يوجد رابط تقويم بانتظارك. اكتب «ربط التقويم» وسأرسل لك واحداً.",
    "wrong_domain": "{email} ليس حساباً على {domain}. يرجى تسجيل الدخول بحسابك المؤسسي وإرسال العنوان الجديد.",
    "denied": "يقول Google إن الوصول لم يُسمح به. افتح الرابط مرة أخرى واضغط «السماح».",
    "missing_permissions": "لم يتم تحديد بعض أذونات التقويم. افتح الرابط مرة أخرى واسمح بها جميعاً.",
    "code_rejected": "لم يقبل Google هذا الرمز (ربما استُخدم أو انتهت صلاحيته). إليك رابطاً جديداً.",
    "not_a_code": "لا يبدو هذا كالعنوان من Google. انسخ العنوان كاملاً من شريط المتصفح بعد السماح بالوصول.",
    "google_unavailable": "Google لا يستجيب الآن. أرسل العنوان نفسه مرة أخرى بعد بضع دقائق.",
    "google_not_configured": "لم يتم إعداد تقويم Google لهذا الفريق بعد، لذا تُسجَّل المعاينات في التقويم الداخلي.",
    "reconnect_needed": (
        "انتهت صلاحية الوصول إلى تقويم Google الخاص بك أو أُلغي. حتى تعيد الربط، تُسجَّل "
        "المعاينات في التقويم الداخلي. اكتب «ربط التقويم»."
    ),
    # Viewings (lead bot to the lead, team bot to the rep)
    "event_summary": "معاينة: {title} — {lead}",
    "a_property": "عقار",
    "booked_lead": "تم حجز معاينتك: {title}، {when}، مع {rep}.{link}",
    "booked_rep": "معاينة جديدة: {title}، {when}، مع {lead}.{link}",
    "moved_lead": "تم نقل معاينتك: {title}، الآن {when}.{link}",
    "moved_rep": "تم نقل المعاينة: {title} مع {lead}، الآن {when}.{link}",
    "cancelled_lead": "تم إلغاء معاينتك ({title}، {when}). راسلنا في أي وقت لاختيار موعد جديد.",
    "cancelled_rep": "تم إلغاء المعاينة: {title} مع {lead}، {when}.",
    "meeting_link": ("\nمكالمة فيديو: {url}"),
    "invitation_caption": "أضفها إلى تقويمك",
    # Reminders
    "reminder_lead_24h": "تذكير: معاينة {title} غداً، {when}، مع {rep}.{where}{link}",
    "reminder_lead_1h": "تبدأ معاينة {title} بعد ساعة، {when}.{where}{link} نراك قريباً!",
    "reminder_rep_24h": "غداً: معاينة {title} مع {lead} ({phone})، {when}.{where}{link}",
    "reminder_rep_1h": "بعد ساعة: معاينة {title} مع {lead} ({phone})، {when}.{where}{link}",
    "where": ("\nالعنوان: {address}"),
    "outcome_question": "كيف كانت معاينة {title} مع {lead} ({when})؟ أجب: حضر، مهتم، قدّم عرضًا، غير مهتم أو لم يحضر.",
    "outcome_recorded": "شكراً، تم التسجيل لـ {lead}: {outcome}.",
    "outcome_attended": "حضر",
    "outcome_interested": "مهتم",
    "outcome_not_interested": "غير مهتم",
    "outcome_no_show": "لم يحضر",
    "outcome_made_offer": "قدّم عرضًا",
    # A rep moves or cancels a viewing from the team bot
    "rep_viewing_none": "ليس لديك معاينات قادمة لتغييرها.",
    "rep_viewing_which": "أي معاينة؟",
    "rep_viewing_choice": "{when}، {lead}",
    "rep_viewing_refused": "هذه المعاينة ليست مسندة إليك، لذلك لا يمكنني تغييرها.",
    "rep_viewing_gone": "لم تعد هذه المعاينة قادمة.",
    "rep_viewing_options": "هذا الوقت غير متاح. الأوقات المتاحة للمعاينة مع {lead}:",
    "rep_viewing_pick_time": "إلى متى تُنقل المعاينة مع {lead}؟ اكتب وقتاً أو اختر:",
    "rep_viewing_no_free_time": "ليس لديك وقت متاح آخر خلال الأسبوعين القادمين.",
    "rep_viewing_cancel_confirm": "هل تُلغى معاينة {title} مع {lead}، {when}؟ سيتم إبلاغ العميل.",
    "button_reschedule": "تغيير الموعد",
    "button_cancel": "إلغاء",
    "button_cancel_confirm": "نعم، ألغِها",
    # A viewing the lead cannot have (book_viewing, reschedule_viewing, cancel_viewing)
    "unavailable.no_rep": "لا يوجد وكيل متاح للمعاينات حالياً. يمكنني تحويل طلبك إلى الفريق.",
    "unavailable.no_free_slot": "لا توجد مواعيد معاينة متاحة خلال الأسبوعين القادمين.",
    "unavailable.listing_unavailable": "هذا العقار غير متاح للمعاينة.",
    # الحجز كما يفعل الإنسان (اقتراح موعد، يوم عطلة الوكيل، وقت لا يمكن حجزه)
    "proposal": "{when} متاح لمعاينة {title}. هل أحجزه لك؟",
    "proposal_more": "لدي أيضاً {times}.",
    "day_off": "لا يجري وكيلنا معاينات يوم {day}. أقرب الأيام: {days}. أيها يناسبك؟",
    "invalid.past": "هذا الوقت قد مضى. أي يوم ووقت يناسبانك؟",
    "invalid.too_far": "يمكنني حجز المعاينات حتى سنة مقدماً فقط. أي تاريخ ضمن ذلك يناسبك؟",
    "invalid.no_such_time": "لا يوجد وقت كهذا ({said}). أي وقت يناسبك؟",
    "needs_listing": "أي عقار تود معاينته؟",
    "needs_listing_open": "أي عقار تود معاينته؟ اذكر اسمه، أو أخبرني بما تبحث عنه وسأعرض عليك بعض الخيارات.",
    "no_phone_contact": "سيتواصل معك وكيلنا هنا في هذه المحادثة.",
    "proposal_phone": "وما أفضل رقم هاتف ليتواصل معك وكيلنا؟",
    "choice_yes": "✅ {when}",
    "times_on_day": "{day}: {times}",
    "lead_viewing_none": "لا توجد معاينة قادمة لتغييرها.",
    "lead_viewing_no_free_time": "لا يملك وكيلك وقتاً آخر متاحاً خلال الأسبوعين القادمين.",
    # The page the rep's browser shows after Google's consent screen (bot.calendar)
    "page_title": "التقويم",
    "page_connected": "تم ربط التقويم ✓",
    "page_not_connected": "لم يتم ربط التقويم",
    "page_no_state": "هذا العنوان لا يحتوي على المعامل state.",
    "page_unknown_link": "هذا الرابط غير معروف أو استُخدم من قبل. اطلب رابطاً جديداً من البوت.",
    "page_close_tab": "يمكنك إغلاق هذه الصفحة والعودة إلى تيليجرام.",
}
