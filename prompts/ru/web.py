"""Russian: the team's web app: its frame, navigation, sign-in and error pages."""

from __future__ import annotations

from typing import Final

TEXTS: Final[dict[str, str]] = {
    "app_title": "Панель агентства",
    "nav_leads": "Лиды",
    "nav_today": "Сегодня",
    "nav_viewings": "Показы",
    "nav_listings": "Объекты",
    "nav_reps": "Агенты",
    "nav_analytics": "Аналитика",
    "sign_out": "Выйти",
    "signed_in_as": "{name} · {agency}",
    "role.rep": "агент",
    "role.admin": "администратор",
    "signed_out_title": "Вы вышли",
    "signed_out_body": "Откройте панель из бота команды: нажмите «Панель» или напишите «кабинет», чтобы получить ссылку для входа.",
    "forbidden_title": "Нет доступа",
    "forbidden_body": "Эта страница принадлежит другому агенту или доступна только администратору.",
    "not_found_title": "Не найдено",
    "not_found_body": "Здесь ничего нет; возможно, запись удалена.",
    "bad_form_title": "Форма устарела",
    "bad_form_body": "Обновите страницу и попробуйте ещё раз.",
    "back_home": "Вернуться в панель",
}
