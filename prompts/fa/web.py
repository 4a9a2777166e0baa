"""Persian: the team's web app: its frame, navigation, sign-in and error pages."""

from __future__ import annotations

from typing import Final

TEXTS: Final[dict[str, str]] = {
    "app_title": "داشبورد املاک",
    "nav_leads": "سرنخ\u200cها",
    "nav_today": "امروز",
    "nav_viewings": "بازدیدها",
    "nav_listings": "آگهی\u200cها",
    "nav_reps": "کارشناسان",
    "nav_analytics": "تحلیل\u200cها",
    "sign_out": "خروج",
    "signed_in_as": "{name} · {agency}",
    "role.rep": "کارشناس",
    "role.admin": "مدیر",
    "signed_out_title": "شما خارج شده\u200cاید",
    "signed_out_body": "داشبورد را از ربات تیم باز کنید: روی «داشبورد» بزنید یا «داشبورد» بنویسید تا پیوند ورود بگیرید.",
    "forbidden_title": "دسترسی ندارید",
    "forbidden_body": "این صفحه متعلق به کارشناس دیگری است یا فقط برای مدیر است.",
    "not_found_title": "پیدا نشد",
    "not_found_body": "اینجا چیزی نیست؛ شاید حذف شده باشد.",
    "bad_form_title": "فرم منقضی شده است",
    "bad_form_body": "صفحه را دوباره بارگیری کنید و دوباره امتحان کنید.",
    "back_home": "بازگشت به داشبورد",
}
