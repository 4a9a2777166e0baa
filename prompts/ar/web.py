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
}
