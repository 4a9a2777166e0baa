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
    "back_home": "Back to the dashboard",
}
