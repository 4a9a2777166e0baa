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
    # sign-in (agent.web.routes.signin)
    "signin_title": "ورود به داشبورد",
    "signin_body": "این پیوند شما را در همین دستگاه وارد داشبورد تیم می\u200cکند. فقط یک بار و تا ۱۰ دقیقه کار می\u200cکند.",
    "signin_continue": "ادامه",
    "link_dead_title": "این پیوند ورود دیگر کار نمی\u200cکند",
    "link_dead_body": "هر پیوند فقط یک بار و تا ۱۰ دقیقه کار می\u200cکند. برای پیوند تازه به ربات تیم بنویسید «داشبورد».",
    "not_allowed_title": "دسترسی به داشبورد ندارید",
    "not_allowed_body": "داشبورد برای نمایندگان فعال و مدیران است. اگر درخواست داده\u200cاید، منتظر تأیید مدیر بمانید.",
    "bad_data_title": "ورود از طریق تلگرام بررسی نشد",
    "bad_data_body": "داشبورد را ببندید و دوباره با دکمهٔ «داشبورد» در ربات تیم باز کنید.",
    "too_old_title": "این ورود منقضی شده است",
    "too_old_body": "داشبورد را ببندید و دوباره از ربات تیم باز کنید.",
    "too_many_title": "تلاش\u200cهای بیش از حد",
    "too_many_body": "تلاش\u200cهای ناموفق ورود زیاد بوده است. ۱۰ دقیقه صبر کنید و دوباره امتحان کنید.",
    "miniapp_title": "در حال باز کردن داشبورد…",
    "miniapp_outside": "این صفحه را با دکمهٔ «داشبورد» ربات تیم در تلگرام باز کنید، یا برای پیوند ورود به ربات بنویسید «داشبورد».",
}
