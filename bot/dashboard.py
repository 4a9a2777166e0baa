"""The team bot's way into the dashboard and the API: sign-in links, the Mini App button, API tokens.

Asked in words, no command needed: "dashboard" / "кабинет" / "داشبورد" / "لوحة التحكم" gets an active rep or
an admin a one-time sign-in link (sent without a link preview: a preview's GET must not even see the link) and,
when the deployment is public over https, a "Dashboard" button that opens the Mini App; the chat's menu button
becomes that Mini App too. Admins manage API tokens: "new API token Zapier", "API tokens",
"revoke API token ab12". Everyone else is refused in their language, and the refusal audited.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    MenuButtonWebApp,
    WebAppInfo,
)
from telegram.error import TelegramError

import prompts
from agent.core.nlu.dashboard_requests import TokenRequest, asks_for_dashboard, token_request, written_in
from agent.services.provider import Services
from agent.services.team import Actor, TeamService
from agent.services.web_access import ApiTokens, SignInLinks, TokenAdmin, TokenNotFound, mini_app_url

log = logging.getLogger(__name__)


def words_language(text: str, actor: Actor) -> str:
    """Persian or Arabic when the request was written in it; else the language the team bot speaks to them."""
    return written_in(text) or actor.language


@dataclass
class DashboardDesk:
    services: Services
    team: TeamService

    def _say(self, language: str, key: str, /, **values: object) -> str:
        return prompts.text(language, "team", key, **values)

    async def on_text(self, bot: Bot, actor: Actor, text: str) -> bool:
        """Answer a request for the dashboard or about API tokens; False when the text is neither."""
        if asks_for_dashboard(text):
            await self.send_link(bot, actor, words_language(text, actor))
            return True
        request = token_request(text)
        if request is not None:
            await self.tokens(bot, actor, request, words_language(text, actor))
            return True
        return False

    async def send_link(self, bot: Bot, actor: Actor, language: str) -> None:
        """A one-time sign-in link (no preview) and, over https, the Mini App button; or the refusal."""
        chat_id = actor.chat_id or actor.telegram_id
        issued = await SignInLinks(self.services.database, self.services.settings, self.services.clock).issue(
            actor.telegram_id
        )
        if issued is None:
            await self.team.record_refusal(actor, "web.sign_in_link", reason="not_a_rep_or_admin")
            await bot.send_message(chat_id, self._say(language, "dashboard_refused"))
            return
        app_url = mini_app_url(self.services.settings)
        markup = None
        if app_url is not None:
            label = self._say(language, "dashboard_button")
            markup = InlineKeyboardMarkup([[InlineKeyboardButton(label, web_app=WebAppInfo(app_url))]])
            await self._menu_button(bot, chat_id, label, app_url)
        await bot.send_message(
            chat_id,
            self._say(language, "dashboard_link", url=issued.url),
            link_preview_options=LinkPreviewOptions(is_disabled=True),
            reply_markup=markup,
        )

    async def _menu_button(self, bot: Bot, chat_id: int, label: str, url: str) -> None:
        """The chat's menu button opens the Mini App from now on (the link is the way in otherwise)."""
        try:
            await bot.set_chat_menu_button(chat_id, MenuButtonWebApp(label, WebAppInfo(url)))
        except TelegramError as exc:
            log.warning("could not set the menu button of chat %s: %s", chat_id, exc)

    async def tokens(self, bot: Bot, actor: Actor, request: TokenRequest, language: str) -> None:
        """An admin's API-token request: create (shown once), list or revoke; a non-admin is refused."""
        chat_id = actor.chat_id or actor.telegram_id
        services = self.services
        agency = await TokenAdmin(services.database, services.settings, services.clock).agency_of(
            actor.telegram_id
        )
        action = f"api_token.{request.kind}"
        if agency is None:
            await self.team.record_refusal(actor, action)
            await bot.send_message(chat_id, self._say(language, "api_tokens_admins_only"))
            return
        tenant_id, agency_name = agency
        tokens = ApiTokens(services.database, services.settings, services.clock)
        who = f"telegram:{actor.telegram_id}"
        if request.kind == "create":
            created = await tokens.create(
                tenant_id, request.argument, created_by=who, actor_telegram_id=actor.telegram_id
            )
            reply = self._say(
                language,
                "api_token_created",
                name=created.line.name,
                prefix=created.line.prefix,
                token=created.token,
            )
        elif request.kind == "revoke":
            prefix = request.argument
            try:
                line = await tokens.revoke(
                    tenant_id, prefix, revoked_by=who, actor_telegram_id=actor.telegram_id
                )
            except TokenNotFound:
                reply = self._say(language, "api_token_not_found", prefix=prefix)
            else:
                reply = self._say(language, "api_token_revoked", prefix=line.prefix, name=line.name)
        else:
            reply = await self._list(tokens, tenant_id, agency_name, language)
        await bot.send_message(chat_id, reply, link_preview_options=LinkPreviewOptions(is_disabled=True))

    async def _list(self, tokens: ApiTokens, tenant_id: int, agency_name: str, language: str) -> str:
        lines = await tokens.list(tenant_id)
        if not lines:
            return self._say(language, "api_tokens_none")
        rows = [self._say(language, "api_tokens_head", agency=agency_name)]
        for line in lines:
            if line.revoked_at is not None:
                state = self._say(language, "api_token_revoked_state")
            elif line.last_used_at is None:
                state = self._say(language, "api_token_never_used")
            else:
                state = self._say(language, "api_token_live", used=f"{line.last_used_at:%Y-%m-%d %H:%M} UTC")
            rows.append(
                self._say(language, "api_token_line", prefix=line.prefix, name=line.name, state=state)
            )
        return "\n".join(rows)
