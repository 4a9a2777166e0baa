"""Arabic texts of the team bot: registration, admins, the CRM, statuses. `{placeholders}` are filled by the nodes."""

from __future__ import annotations

from typing import Final

TEXTS: Final[dict[str, str]] = {
    # registration
    "greet_new": (
        "مرحباً! أنا بوت فريق المبيعات: هنا يسجّل مندوبو المبيعات، ويتلقّون تنبيهات العملاء الساخنين، "
        "ويديرون عملاءهم مباشرة في تيليجرام.\n\n"
        "هل تودّ التسجيل كمندوب مبيعات؟"
    ),
    "declined": "حسناً. إن غيّرت رأيك، راسلني فقط.",
    "ask_name": "رائع! ما اسمك؟ اكتب اسمك الأول واسم العائلة من فضلك.",
    "bad_name": "لا يبدو هذا اسماً. اكتب اسمك الأول واسم العائلة من فضلك، مثلاً: أحمد علي.",
    "ask_email": "سعيد بالتعرّف إليك يا {first}!\n\nما بريدك الإلكتروني في الشركة؟ يجب أن يكون على {domains}.",
    "ask_email_any": "سعيد بالتعرّف إليك يا {first}!\n\nما بريدك الإلكتروني للعمل؟",
    "email_invalid": "لا يبدو هذا عنوان بريد إلكتروني. اكتبه كاملاً من فضلك، مثلاً {example}.",
    "email_domain": "عذراً، لا نقبل إلا عناوين الشركة على {domains}. اكتب بريدك الإلكتروني للعمل من فضلك.",
    "email_taken": (
        "هذا العنوان مسجّل لمندوب آخر. اكتب عنواناً آخر من فضلك، أو تواصل مع المسؤول إن كان هذا خطأ."
    ),
    "confirm": "يرجى التحقق:\n\nالاسم: {name}\nالبريد الإلكتروني: {email}\n\nهل أرسل الطلب؟",
    "confirm_unclear": "أجب «نعم» لإرسال الطلب، أو «تعديل» لتغيير البيانات.",
    "submitted": ("شكراً! أُرسل طلبك إلى المسؤول.\n\nسأخبرك فور مراجعته. وإن أردت إلغاءه، أخبرني فقط."),
    "too_many": "أرسلت عدة طلبات اليوم. حاول مجدداً غداً أو تواصل مع المسؤول.",
    "closed": "التسجيل غير متاح بعد: لم يتم إعداد الوكالة. يرجى التواصل مع المسؤول.",
    # a pending applicant
    "pending_status": (
        "طلبك قيد المراجعة.\n\nالاسم: {name}\nالبريد الإلكتروني: {email}\n\n"
        "سأراسلك فور أن يتخذ المسؤول قراره. لسحب الطلب، قل ذلك فقط."
    ),
    "withdrawn": "تم سحب طلبك. إن أردت العودة، راسلني فقط.",
    # a registered rep
    "status_card": "مرحباً يا {first}!\n\nحالتك: {status}\nالبريد الإلكتروني: {email}\nالتقويم: {calendar}\n\nكيف يمكنني مساعدتك؟",
    "suspended_note": "أوقف المسؤول وصولك. إن كان هذا خطأ، يرجى التواصل مع المسؤول.",
    "ask_unregister": "هل أنت متأكد أنك تريد مغادرة النظام؟\n\nسيؤدي هذا إلى إلغاء تسجيلك.",
    "unregistered": "تم، أُلغي تسجيلك.\n\nإن أردت العودة، راسلني مجدداً فقط.",
    "kept": "حسناً، لم يتغيّر شيء.",
    "ask_new_email": "اكتب بريدك الإلكتروني الجديد في الشركة من فضلك (على {domains}).",
    "ask_new_email_any": "اكتب بريدك الإلكتروني الجديد للعمل من فضلك.",
    "email_updated": "تم، بريدك الإلكتروني الآن {email}.",
    "email_updated_calendar": (
        "تم، بريدك الإلكتروني الآن {email}.\n\nكان تقويمك مربوطاً بالعنوان القديم، لذا يجب ربطه من جديد."
    ),
    "cancelled": "حسناً، تم الإلغاء.",
    # admins
    "application_card": (
        "📝 طلب تسجيل جديد!\n\nالاسم: {name}\nالبريد الإلكتروني: {email}\nتيليجرام: {telegram}\nالوكالة: {tenant}\n\n"
        "قبول أم رفض؟ أجب على هذه الرسالة (مثلاً «قبول» أو «رفض، ليس من موظفينا») أو اضغط أحد الزرّين."
    ),
    "admin_approved": "✅ تم قبول {name} مندوباً للمبيعات.",
    "admin_rejected": "❌ تم رفض طلب {name}.",
    "admin_rejected_reason": "❌ تم رفض طلب {name}. السبب: {reason}",
    "already_decided": "سبق البتّ في طلب {name} (الحالة: {status}).",
    "not_admin": "هذا الإجراء متاح للمسؤولين فقط. تم تسجيل المحاولة.",
    "decide_how": "أجب على البطاقة بـ«قبول» أو «رفض» (ويمكن إضافة السبب: «رفض، ليس من موظفينا»).",
    "which_application": "أي طلب تقصد؟ أجب على بطاقته أو اختر:",
    "no_pending": "لا توجد طلبات قيد المراجعة.",
    "pending_list": "الطلبات قيد المراجعة ({count}):\n\n{lines}",
    "active_list": "المندوبون النشطون ({count}):\n\n{lines}",
    "no_active": "لا يوجد مندوبون نشطون بعد.",
    "admin_menu": (
        "أنت مسؤول. يمكنني:\n"
        "• عرض الطلبات قيد المراجعة؛\n"
        "• عرض المندوبين النشطين؛\n"
        "• إيقاف مندوب أو استعادته أو حذفه («أوقف أحمد علي»)؛\n"
        "• جعل مندوب مسؤولاً («اجعل ahmed@… مسؤولاً»).\n\n"
        "لقبول طلب أو رفضه، أجب على بطاقته."
    ),
    "who_is_it": "من بالتحديد؟ اكتب اسم المندوب أو @username أو بريده الإلكتروني.",
    "nobody_found": "لم أجد مندوباً باسم «{query}». تحقّق من الاسم أو @username أو البريد الإلكتروني.",
    "which_rep": "يطابق البحث أكثر من مندوب. اختر واحداً:",
    "confirm_suspend": "هل أوقف وصول {name} ({email})؟",
    "confirm_remove": "هل أحذف {name} ({email}) من النظام؟",
    "confirm_restore": "هل أستعيد وصول {name} ({email})؟",
    "confirm_promote": "هل أجعل {name} ({email}) مسؤولاً؟",
    "done_suspend": "⏸ تم إيقاف وصول {name}.",
    "done_remove": "🗑 تم حذف {name} من النظام.",
    "done_restore": "▶️ تمت استعادة وصول {name}.",
    "done_promote": "⭐ أصبح {name} مسؤولاً.",
    "cannot_change": "تعذّر ذلك: حالة {name} الآن «{status}».",
    "rep_left_notice": "ℹ️ {name} ({email}) {what}.",
    "left_withdrew": "سحب طلبه",
    "left_unregistered": "غادر النظام",
    # to the rep, after an admin decided
    "rep_approved": "أخبار رائعة! تم قبول طلبك — أهلاً بك في الفريق! 🎉",
    "rep_rejected": "عذراً، لم يتم قبول طلبك.",
    "rep_rejected_reason": "عذراً، لم يتم قبول طلبك. السبب: {reason}",
    "rep_rejected_tail": "\n\nإن كان هذا خطأ، يرجى التواصل مع المسؤول.",
    "rep_suspended": "أوقف المسؤول وصولك.",
    "rep_removed": "أزالك المسؤول من النظام. إن كان هذا خطأ، يرجى التواصل معه.",
    "rep_restored": "تمت استعادة وصولك. أهلاً بعودتك!",
    "rep_promoted": "أصبحت الآن مسؤولاً في الفريق ⭐",
    # the rep's CRM
    "no_clients": "ليس لديك عملاء بعد. سأعرضهم هنا فور وصولهم.",
    "clients_header": "👥 عملاؤك ({count}):",
    "today_header": "📅 اليوم:",
    "overdue_header": "⏰ متأخرة:",
    "clients_hint": "اضغط على عميل لفتح بطاقته.",
    "client_card": "{badge} {name}\nالتقييم: {score} · {temperature}\nالحالة: {status}",
    "phone_line": "📞 {phone}",
    "no_phone": "📞 لا يوجد رقم هاتف بعد",
    "opted_out_line": "🔕 ألغى الاشتراك: طلب ألا نراسله بعد الآن. لا تتصل به؛ ردّ فقط إذا راسلك بنفسه.",
    "notes_line": "📝 {notes}",
    "not_active_rep": "قائمة العملاء متاحة للمندوبين النشطين.",
    "not_your_client": "هذا العميل ليس مسنداً إليك.",
    "marked_hot": "🌶️ تم تمييز {name} كعميل ساخن.",
    "ask_note": "اكتب ملاحظة عن {name}.",
    "note_saved": "📝 تم حفظ الملاحظة.",
    "choose_status": "الحالة الجديدة لـ{name}:",
    "status_changed": "حالة {name}: {status}.",
    "ask_followup": "متى أذكّرك بـ{name}؟ اختر أو اكتب، مثلاً «غداً الساعة 11:00».",
    "bad_time": "لم أفهم الوقت. اكتب مثلاً «غداً الساعة 11:00» أو «بعد ساعتين».",
    "followup_saved": "⏰ تم: {when} — {name}. ستظهر في «عملائي».",
    # buttons
    "btn_register": "نعم، سجّلني",
    "btn_no": "لا، شكراً",
    "btn_send": "إرسال",
    "btn_edit": "تعديل",
    "btn_withdraw": "سحب الطلب",
    "btn_clients": "👥 عملائي",
    "btn_calendar": "📅 ربط التقويم",
    "btn_update_email": "✉️ تحديث البريد الإلكتروني",
    "btn_unregister": "🚪 مغادرة النظام",
    "btn_unregister_yes": "نعم، أريد المغادرة",
    "btn_stay": "لا، سأبقى",
    "btn_approve": "✅ قبول",
    "btn_reject": "❌ رفض",
    "btn_pending": "📝 الطلبات",
    "btn_active": "👥 المندوبون",
    "btn_yes": "نعم",
    "btn_cancel": "إلغاء",
    "or": "أو",
    "btn_hot": "🌶️ ساخن",
    "btn_note": "📝 ملاحظة",
    "btn_status": "🔄 الحالة",
    "btn_followup": "⏰ ذكّرني",
    "btn_back": "⬅️ العودة إلى القائمة",
    "btn_in_hour": "بعد ساعة",
    "btn_tomorrow": "غداً الساعة 10:00",
    "btn_in_3_days": "بعد 3 أيام",
    # set_admin and the adapter
    "set_admin_ok": "تم: ستصل تنبيهات العملاء الساخنين لوكالة «{tenant}» إلى هذه الدردشة.",
    "set_admin_private": "أرسل /set_admin في مجموعة فريقك، وستصل تنبيهات العملاء الساخنين إليها.",
    "set_admin_which": "أنت مسؤول عن عدة وكالات. حدّد واحدة: /set_admin <الرمز> ({slugs}).",
    "set_admin_refused": "لا يستطيع اختيار دردشة التنبيهات إلا المسؤول. تم تسجيل المحاولة.",
    "rate_limited": "رسائل كثيرة متتالية. يرجى الانتظار قليلاً.",
    "button_expired": "انتهت صلاحية هذا الزر. أرسل لي أي رسالة وسأعرض لك الخيارات الحالية.",
    "error": "حدث خطأ ما. حاول مجدداً بعد قليل — لقد أبلغت عن الخطأ.",
    "unsupported": "أفهم النصوص والأزرار. اكتب رسالتك بالكلمات من فضلك.",
    # names of statuses and temperatures
    "rep_status.pending": "قيد المراجعة",
    "rep_status.active": "مندوب نشط",
    "rep_status.suspended": "موقوف",
    "rep_status.removed": "محذوف",
    "calendar_connected": "متصل ✓",
    "calendar_not_connected": "غير متصل",
    "temperature.burning": "ملتهب",
    "temperature.hot": "ساخن",
    "temperature.warm": "دافئ",
    "temperature.cold": "بارد",
    "client_status.new": "جديد",
    "client_status.qualifying": "نحدّد احتياجه",
    "client_status.qualified": "احتياجه واضح",
    "client_status.contact_captured": "لدينا رقمه",
    "client_status.viewing_scheduled": "المعاينة محدّدة",
    "client_status.handed_off": "حُوّل إلى مندوب",
    "client_status.converted": "تمت الصفقة",
    "client_status.won": "تمت الصفقة",
    "client_status.lost": "خسرناه",
    "client_status.unreached": "لم نتمكن من التواصل",
    "client_status.contacted": "تم التواصل",
    "client_status.in_conversation": "في محادثة",
    "client_status.archived": "مؤرشف",
    # أسئلة العملاء التي لا تجيب عنها بيانات العقار (agent.services.questions)
    "question_card": (
        "❓ العميل {lead} يسأل عن {listing}: {question}\n\n"
        "ردّ على هذه الرسالة بالإجابة وسأنقلها إلى العميل ({language})."
    ),
    "question_card_general": (
        "❓ العميل {lead} يسأل: {question}\n\nردّ على هذه الرسالة بالإجابة وسأنقلها إلى العميل ({language})."
    ),
    "question_reminder": (
        "⏰ العميل {lead} ما زال ينتظر إجابتك: {question}\n\nردّ على هذه الرسالة بالإجابة وسأنقلها إلى العميل."
    ),
    "question_relayed": "✅ أُرسلت إلى {lead}.",
    "question_recorded": "✅ سُجّلت في ملف {lead}. لا أستطيع الوصول إليه عبر تيليجرام، فتواصل معه مباشرة من فضلك.",
    "question_not_delivered": "⚠️ تعذّر إيصال إجابتك إلى {lead} الآن. أرسلها مرة أخرى بعد دقيقة من فضلك.",
    "question_already_answered": "تمت الإجابة عن سؤال {lead} من قبل.",
    "question_not_yours": "لا يجيب عن هذا السؤال إلا وكيل العميل أو المسؤول. تم تسجيل المحاولة.",
    # the dashboard and API tokens (bot.dashboard)
    "dashboard_link": "رابط دخولك إلى لوحة التحكم (يعمل مرة واحدة ولمدة 10 دقائق؛ لا تُعِد توجيهه):\n{url}",
    "dashboard_button": "لوحة التحكم",
    "dashboard_open": "أو افتح لوحة التحكم هنا داخل تيليجرام:",
    "dashboard_refused": "لوحة التحكم للمندوبين النشطين والمشرفين. إن كنت قد قدّمت طلبًا فانتظر موافقة المشرف.",
    "api_tokens_admins_only": "المشرف وحده يمكنه إدارة رموز API.",
    "api_token_created": "رمز API جديد «{name}» ({prefix}). انسخه الآن: يُعرض مرة واحدة فقط.\n\n{token}\n\nأرسله في الترويسة Authorization: Bearer <token>.",
    "api_tokens_none": "لا توجد لوكالتك رموز API بعد. اكتب «new API token <الاسم>» لإنشاء رمز.",
    "api_tokens_head": "رموز API لوكالة {agency}:",
    "api_token_line": "{prefix}… · {name} · {state}",
    "api_token_live": "آخر استخدام {used}",
    "api_token_never_used": "لم يُستخدم بعد",
    "api_token_revoked_state": "ملغى",
    "api_token_revoked": "أُلغي رمز API \u200f{prefix}… («{name}»): لم يعد يفتح شيئًا.",
    "api_token_not_found": "لا يوجد رمز API نشط واحد يبدأ بـ«{prefix}». اكتب «API tokens» لرؤية القائمة.",
}
