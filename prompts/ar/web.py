"""Arabic: the team's web app: its frame, navigation, sign-in and error pages."""

from __future__ import annotations

from typing import Final

TEXTS: Final[dict[str, str]] = {
    "app_title": "لوحة تحكم العقارات",
    "nav_leads": "العملاء المحتملون",
    "nav_today": "اليوم",
    "nav_viewings": "المعاينات",
    "nav_listings": "العقارات",
    "nav_reps": "الوكلاء",
    "nav_analytics": "التحليلات",
    "sign_out": "تسجيل الخروج",
    "signed_in_as": "{name} · {agency}",
    "role.rep": "وكيل",
    "role.admin": "مسؤول",
    "signed_out_title": "لقد سجّلت الخروج",
    "signed_out_body": "افتح لوحة التحكم من بوت الفريق: اضغط «لوحة التحكم» أو اكتب «لوحة التحكم» لتصلك رابط الدخول.",
    "forbidden_title": "ليس لديك صلاحية",
    "forbidden_body": "هذه الصفحة تخص وكيلاً آخر أو تحتاج إلى مسؤول.",
    "not_found_title": "غير موجود",
    "not_found_body": "لا يوجد شيء هنا؛ ربما حُذف.",
    "bad_form_title": "انتهت صلاحية النموذج",
    "bad_form_body": "أعد تحميل الصفحة وحاول مرة أخرى.",
    "back_home": "العودة إلى لوحة التحكم",
    # sign-in (agent.web.routes.signin)
    "signin_title": "الدخول إلى لوحة التحكم",
    "signin_body": "يُدخلك هذا الرابط إلى لوحة تحكم فريقك على هذا الجهاز. يعمل مرة واحدة ولمدة 10 دقائق.",
    "signin_continue": "متابعة",
    "link_dead_title": "رابط الدخول هذا لم يعد يعمل",
    "link_dead_body": "يعمل الرابط مرة واحدة ولمدة 10 دقائق. اكتب «لوحة التحكم» لبوت الفريق للحصول على رابط جديد.",
    "not_allowed_title": "لا يمكنك الدخول إلى لوحة التحكم",
    "not_allowed_body": "لوحة التحكم للمندوبين النشطين والمشرفين. إن كنت قد قدّمت طلبًا فانتظر موافقة المشرف.",
    "bad_data_title": "تعذّر التحقق من الدخول عبر تيليجرام",
    "bad_data_body": "أغلق لوحة التحكم وافتحها من جديد بزر «لوحة التحكم» في بوت الفريق.",
    "too_old_title": "انتهت صلاحية هذا الدخول",
    "too_old_body": "أغلق لوحة التحكم وافتحها من جديد من بوت الفريق.",
    "too_many_title": "محاولات كثيرة جدًا",
    "too_many_body": "فشلت محاولات دخول كثيرة. انتظر 10 دقائق ثم حاول مرة أخرى.",
    "miniapp_title": "جارٍ فتح لوحة التحكم…",
    "miniapp_outside": "افتح هذه الصفحة بزر «لوحة التحكم» في بوت الفريق على تيليجرام، أو اكتب «لوحة التحكم» للبوت للحصول على رابط دخول.",
}
