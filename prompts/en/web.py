"""English: the team's web app: its frame, navigation, sign-in and error pages."""

from __future__ import annotations

from typing import Final

TEXTS: Final[dict[str, str]] = {
    "app_title": "Realty dashboard",
    "nav_leads": "Leads",
    "nav_today": "Today",
    "nav_viewings": "Viewings",
    "nav_listings": "Listings",
    "nav_reps": "Reps",
    "nav_analytics": "Analytics",
    "sign_out": "Sign out",
    "signed_in_as": "{name} · {agency}",
    "role.rep": "rep",
    "role.admin": "admin",
    "signed_out_title": "You are signed out",
    "signed_out_body": "Open the dashboard from the team bot: tap “Dashboard”, or write “dashboard” to get a sign-in link.",
    "forbidden_title": "Not yours to see",
    "forbidden_body": "This page belongs to another rep or needs an admin.",
    "not_found_title": "Not found",
    "not_found_body": "There is nothing here; it may have been removed.",
    "bad_form_title": "The form has expired",
    "bad_form_body": "Reload the page and try again.",
    "failed_title": "Something went wrong",
    "failed_body": "The page could not be shown. Try again in a minute; if it keeps happening, tell your admin.",
    "bad_input_title": "This address is not right",
    "bad_input_body": "A value in the address cannot be used (a date too far away, or not a number). Go back and try again.",
    "back_home": "Back to the dashboard",
    # sign-in (agent.web.routes.signin)
    "signin_title": "Sign in to the dashboard",
    "signin_body": "This link signs you in to your team's dashboard on this device. It works once, for 10 minutes.",
    "signin_continue": "Continue",
    "link_dead_title": "This sign-in link no longer works",
    "link_dead_body": "A link works once and for 10 minutes. Write “dashboard” to the team bot to get a new one.",
    "not_allowed_title": "No access to the dashboard",
    "not_allowed_body": "The dashboard is for active reps and admins. If you have applied, wait until an admin approves you.",
    "bad_data_title": "Telegram's sign-in could not be checked",
    "bad_data_body": "Close the dashboard and open it again from the team bot's “Dashboard” button.",
    "too_old_title": "This sign-in has expired",
    "too_old_body": "Close the dashboard and open it again from the team bot.",
    "too_many_title": "Too many attempts",
    "too_many_body": "Too many sign-in attempts failed. Wait 10 minutes and try again.",
    "miniapp_title": "Opening the dashboard…",
    "miniapp_outside": "Open this page from the team bot's “Dashboard” button in Telegram, or write “dashboard” to the bot for a sign-in link.",
}
