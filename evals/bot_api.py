"""A loopback stand-in for the Telegram Bot API, speaking its real wire format on 127.0.0.1.

Point a bot at it with `base_url=api.base_url` (and `base_file_url=api.file_base_url`); every call is
recorded. It answers like Telegram does (`{"ok": true, "result": ...}` or `{"ok": false, "error_code": ...}`),
accepts form, multipart and JSON bodies, queues updates for `getUpdates` (long polling) or pushes them to
a webhook set with `setWebhook` (with `X-Telegram-Bot-Api-Secret-Token`), and can answer 429 with
`parameters.retry_after` to exercise flood control.

    async with FakeTelegramAPI() as api:
        app = Application.builder().token(TOKEN).base_url(api.base_url).build()
        api.queue_update(TOKEN, updates.text(user_id=7, text="hi"))
        ...
        assert api.sent_texts(chat_id=7) == ["..."]

`Updates` builds real update JSON (messages, commands, contacts, voice, callback queries).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import httpx
import tornado.httpserver
import tornado.netutil
import tornado.web

JSON = dict[str, Any]

_INT_FIELDS = frozenset(
    {"chat_id", "message_id", "offset", "limit", "timeout", "user_id", "reply_to_message_id", "from_chat_id"}
)
_STRUCTURED_PREFIXES = ("{", "[")


@dataclass
class ApiCall:
    """One request the fake received."""

    token: str
    method: str
    params: JSON
    at: float = field(default_factory=time.monotonic)
    files: dict[str, bytes] = field(default_factory=dict)
    result: Any = None
    """What the fake answered (a Message for sendMessage), None when it answered with an error."""

    @property
    def chat_id(self) -> int | str | None:
        value = self.params.get("chat_id")
        return value if isinstance(value, int | str) else None

    @property
    def text(self) -> str:
        """The text sent ("" for calls without one)."""
        value = self.params.get("text")
        return value if isinstance(value, str) else ""

    @property
    def reply_markup(self) -> JSON | None:
        value = self.params.get("reply_markup")
        return value if isinstance(value, dict) else None

    def button_rows(self) -> list[list[JSON]]:
        """The inline keyboard of this call ([] without one)."""
        markup = self.reply_markup or {}
        rows = markup.get("inline_keyboard")
        return rows if isinstance(rows, list) else []

    def buttons(self) -> list[JSON]:
        return [button for row in self.button_rows() for button in row]

    def button(self, label_part: str) -> JSON:
        """The first inline button whose label contains `label_part` (case-insensitive)."""
        for button in self.buttons():
            if label_part.lower() in str(button.get("text", "")).lower():
                return button
        labels = [b.get("text") for b in self.buttons()]
        raise LookupError(f"no button with {label_part!r} among {labels}")


@dataclass
class _Failure:
    method: str
    times: int
    error_code: int
    description: str
    parameters: JSON | None


_PHOTO_SIZE: JSON = {"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}
REFUSED_PHOTO_HOST = "refused.example"
"""Photo URLs on this host are refused as Telegram refuses a URL it cannot fetch (to test that path)."""


def _refused_photo(value: object) -> bool:
    return isinstance(value, str) and REFUSED_PHOTO_HOST in value


def _bot_user(token: str) -> JSON:
    head = token.split(":", 1)[0]
    bot_id = int(head) if head.isdigit() else abs(hash(token)) % 10**9
    return {
        "id": bot_id,
        "is_bot": True,
        "first_name": f"Bot {bot_id}",
        "username": f"fake_{bot_id}_bot",
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
    }


def _decode(name: str, raw: str) -> Any:
    """Bot API values arrive as strings; objects and arrays are JSON-encoded inside them."""
    if raw.startswith(_STRUCTURED_PREFIXES):
        try:
            return json.loads(raw)
        except ValueError:
            return raw
    if name in _INT_FIELDS and raw.lstrip("-").isdigit():
        return int(raw)
    if raw in ("true", "false") and name not in ("text", "caption"):
        return raw == "true"
    return raw


class FakeTelegramAPI:
    """The loopback Bot API. Start it with `async with` (or `start()` / `stop()`)."""

    def __init__(self, *, host: str = "127.0.0.1") -> None:
        self.host = host
        self.port = 0
        self.calls: list[ApiCall] = []
        self.files: dict[str, bytes] = {}
        self.webhooks: dict[str, tuple[str, str | None]] = {}
        self._server: tornado.httpserver.HTTPServer | None = None
        self._updates: dict[str, deque[JSON]] = defaultdict(deque)
        self._update_events: dict[str, asyncio.Event] = defaultdict(asyncio.Event)
        self._call_event = asyncio.Event()
        self._failures: list[_Failure] = []
        self._message_ids: dict[int | str, itertools.count[int]] = defaultdict(lambda: itertools.count(1))
        self._update_ids = itertools.count(1)
        self._http: httpx.AsyncClient | None = None
        self.refused_urls: set[str] = set()
        """Photo URLs this fake Telegram cannot fetch: sendPhoto and sendMediaGroup answer 400, as Telegram does."""
        self.listeners: list[Callable[[ApiCall], None]] = []
        """Called with every successfully answered call, as it is answered (benches time replies with it)."""

    # -- lifecycle ---------------------------------------------------------------------------------

    async def start(self) -> FakeTelegramAPI:
        sockets = tornado.netutil.bind_sockets(0, self.host)
        self.port = sockets[0].getsockname()[1]
        app = tornado.web.Application(
            [
                (r"/bot([^/]+)/([A-Za-z]+)", _MethodHandler, {"api": self}),
                (r"/file/bot([^/]+)/(.+)", _FileHandler, {"api": self}),
            ]
        )
        self._server = tornado.httpserver.HTTPServer(app)
        self._server.add_sockets(sockets)
        return self

    async def stop(self) -> None:
        for event in self._update_events.values():
            event.set()
        if self._http is not None:
            await self._http.aclose()
            self._http = None
        if self._server is not None:
            self._server.stop()
            await self._server.close_all_connections()
            self._server = None

    async def __aenter__(self) -> FakeTelegramAPI:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}/bot"

    @property
    def file_base_url(self) -> str:
        return f"http://{self.host}:{self.port}/file/bot"

    # -- driving updates ---------------------------------------------------------------------------

    def next_update_id(self) -> int:
        return next(self._update_ids)

    def queue_update(self, token: str, update: JSON) -> None:
        """Make `update` available to `getUpdates` of this bot."""
        self._updates[token].append(update)
        self._update_events[token].set()

    async def deliver(self, token: str, update: JSON) -> int:
        """Push `update` to the bot's webhook the way Telegram does (or queue it when none is set)."""
        hook = self.webhooks.get(token)
        if hook is None:
            self.queue_update(token, update)
            return 200
        url, secret = hook
        headers = {"Content-Type": "application/json"}
        if secret:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret
        if self._http is None:
            self._http = httpx.AsyncClient(timeout=30)
        response = await self._http.post(url, content=json.dumps(update), headers=headers)
        return response.status_code

    def add_file(self, file_id: str, content: bytes, *, path: str | None = None) -> str:
        """Make a file downloadable through getFile; returns its file_path."""
        file_path = path or f"voice/{file_id}.oga"
        self.files[file_path] = content
        self.files[f"id:{file_id}"] = file_path.encode()
        return file_path

    def fail_next(
        self,
        method: str,
        *,
        times: int = 1,
        retry_after: int | None = 1,
        error_code: int = 429,
        description: str | None = None,
    ) -> None:
        """Answer the next `times` calls of `method` with an error (by default 429 Too Many Requests)."""
        parameters = {"retry_after": retry_after} if retry_after is not None and error_code == 429 else None
        self._failures.append(
            _Failure(
                method=method,
                times=times,
                error_code=error_code,
                description=description
                or (f"Too Many Requests: retry after {retry_after}" if error_code == 429 else "Bad Request"),
                parameters=parameters,
            )
        )

    # -- inspecting calls --------------------------------------------------------------------------

    def calls_of(
        self, method: str, *, token: str | None = None, chat_id: int | str | None = None
    ) -> list[ApiCall]:
        return [
            call
            for call in self.calls
            if call.method == method
            and (token is None or call.token == token)
            and (chat_id is None or call.chat_id == chat_id)
        ]

    def sent(self, *, chat_id: int | str | None = None, token: str | None = None) -> list[ApiCall]:
        """sendMessage calls, oldest first."""
        return self.calls_of("sendMessage", token=token, chat_id=chat_id)

    def sent_texts(self, *, chat_id: int | str | None = None, token: str | None = None) -> list[str]:
        return [call.text for call in self.sent(chat_id=chat_id, token=token)]

    def last_sent(self, *, chat_id: int | str | None = None, token: str | None = None) -> ApiCall:
        sent = self.sent(chat_id=chat_id, token=token)
        if not sent:
            raise LookupError(f"nothing was sent to chat {chat_id}")
        return sent[-1]

    async def wait_for(
        self, predicate: Callable[[list[ApiCall]], bool], *, within: float = 5.0
    ) -> list[ApiCall]:
        """Wait up to `within` seconds until `predicate(calls)` holds; raises TimeoutError with the calls seen so far."""
        deadline = time.monotonic() + within
        while not predicate(self.calls):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                seen = [(c.method, c.chat_id, (c.text or "")[:60]) for c in self.calls[-10:]]
                raise TimeoutError(f"condition not met in {within}s; last calls: {seen}")
            self._call_event.clear()
            try:
                await asyncio.wait_for(self._call_event.wait(), timeout=min(remaining, 0.05))
            except TimeoutError:
                pass
        return self.calls

    async def wait_for_messages(
        self, count: int, *, chat_id: int | str | None = None, token: str | None = None, within: float = 5.0
    ) -> list[ApiCall]:
        await self.wait_for(lambda _: len(self.sent(chat_id=chat_id, token=token)) >= count, within=within)
        return self.sent(chat_id=chat_id, token=token)

    def reset_calls(self) -> None:
        self.calls.clear()

    # -- answering ---------------------------------------------------------------------------------

    def _take_failure(self, method: str) -> _Failure | None:
        for failure in self._failures:
            if failure.method == method and failure.times > 0:
                failure.times -= 1
                if failure.times == 0:
                    self._failures.remove(failure)
                return failure
        return None

    def _message(self, token: str, params: JSON, **content: Any) -> JSON:
        chat_id = params.get("chat_id", 0)
        numeric = chat_id if isinstance(chat_id, int) else 0
        chat: JSON
        if isinstance(chat_id, str) and chat_id.startswith("@"):
            chat = {"id": -(10**12), "type": "channel", "username": chat_id[1:]}
        elif numeric < 0:
            chat = {"id": numeric, "type": "supergroup", "title": "Group"}
        else:
            chat = {"id": numeric, "type": "private", "first_name": "User"}
        message: JSON = {
            "message_id": next(self._message_ids[chat_id]),
            "date": int(time.time()),
            "chat": chat,
            "from": _bot_user(token),
            **content,
        }
        if isinstance(params.get("reply_markup"), dict) and "inline_keyboard" in params["reply_markup"]:
            message["reply_markup"] = params["reply_markup"]
        return message

    async def answer(
        self, token: str, method: str, params: JSON, files: dict[str, bytes]
    ) -> tuple[int, JSON]:
        """The Bot API's answer to one call (recorded first, so failed attempts are visible too)."""
        call = ApiCall(token=token, method=method, params=params, files=files)
        self.calls.append(call)
        failure = self._take_failure(method)
        if failure is not None:
            body: JSON = {"ok": False, "error_code": failure.error_code, "description": failure.description}
            if failure.parameters:
                body["parameters"] = failure.parameters
            self._call_event.set()
            return failure.error_code, body
        result = await self._result(token, method, params, files)
        self._call_event.set()
        if isinstance(result, _Error):
            return result.code, {"ok": False, "error_code": result.code, "description": result.description}
        call.result = result
        for listener in self.listeners:
            listener(call)
        return 200, {"ok": True, "result": result}

    async def _result(self, token: str, method: str, params: JSON, files: dict[str, bytes]) -> Any:
        m = method.lower()
        if m == "getme":
            return _bot_user(token)
        if m in ("sendmessage",):
            text = params.get("text")
            if not isinstance(text, str) or not text:
                return _Error(400, "Bad Request: message text is empty")
            if len(text) > 4096:
                return _Error(400, "Bad Request: message is too long")
            return self._message(token, params, text=text)
        if m in ("editmessagetext", "editmessagereplymarkup", "editmessagecaption"):
            if "inline_message_id" in params:
                return True
            content: JSON = {"text": params["text"]} if "text" in params else {}
            message = self._message(token, params, **content)
            message["message_id"] = params.get("message_id", message["message_id"])
            message["edit_date"] = int(time.time())
            return message
        if m == "senddocument":
            name = next(iter(files), "document")
            return self._message(
                token,
                params,
                document={
                    "file_id": f"doc{len(self.calls)}",
                    "file_unique_id": f"u{len(self.calls)}",
                    "file_name": name,
                },
            )
        if m == "sendphoto":
            if self._refused(params.get("photo")):
                return _Error(400, "Bad Request: failed to get HTTP URL content")
            return self._message(token, params, photo=[_PHOTO_SIZE])
        if m == "sendmediagroup":
            return self._media_group(token, params)
        if m in (
            "answercallbackquery",
            "sendchataction",
            "deletemessage",
            "setmycommands",
            "setchatmenubutton",
            "deletemycommands",
            "close",
            "logout",
        ):
            return True
        if m == "deletewebhook":
            self.webhooks.pop(token, None)
            return True
        if m == "setwebhook":
            url = params.get("url")
            if not url:
                self.webhooks.pop(token, None)
            else:
                secret = params.get("secret_token")
                self.webhooks[token] = (str(url), str(secret) if secret else None)
            return True
        if m == "getwebhookinfo":
            hook = self.webhooks.get(token)
            return {
                "url": hook[0] if hook else "",
                "has_custom_certificate": False,
                "pending_update_count": 0,
            }
        if m == "getupdates":
            return await self._get_updates(token, params)
        if m == "getfile":
            file_id = str(params.get("file_id", ""))
            path = self.files.get(f"id:{file_id}")
            if path is None:
                return _Error(400, "Bad Request: invalid file_id")
            return {
                "file_id": file_id,
                "file_unique_id": f"u{file_id}",
                "file_size": len(self.files[path.decode()]),
                "file_path": path.decode(),
            }
        return _Error(404, "Not Found")

    def _refused(self, url: object) -> bool:
        """Telegram cannot fetch this photo URL: on the refused host, or one a test chose."""
        return _refused_photo(url) or str(url) in self.refused_urls

    def _media_group(self, token: str, params: JSON) -> Any:
        """sendMediaGroup: 2-10 InputMedia (JSON-encoded), one message per item, all with one media_group_id."""
        media = params.get("media")
        if not isinstance(media, list) or not 2 <= len(media) <= 10:
            return _Error(400, "Bad Request: media must include 2-10 items")
        group = f"g{len(self.calls)}"
        messages = []
        for item in media:
            if not isinstance(item, dict) or item.get("type") != "photo" or not item.get("media"):
                return _Error(400, "Bad Request: wrong media")
            if self._refused(item["media"]):
                return _Error(400, "Bad Request: failed to get HTTP URL content")
        for item in media:
            content: JSON = {
                "media_group_id": group,
                "photo": [_PHOTO_SIZE],
            }
            if item.get("caption"):
                content["caption"] = item["caption"]
            messages.append(self._message(token, params, **content))
        return messages

    async def _get_updates(self, token: str, params: JSON) -> list[JSON]:
        queue = self._updates[token]
        offset = params.get("offset")
        if isinstance(offset, int):
            while queue and queue[0].get("update_id", 0) < offset:
                queue.popleft()
        if not queue:
            timeout = params.get("timeout", 0)
            event = self._update_events[token]
            event.clear()
            if isinstance(timeout, int | float) and timeout > 0 and self._server is not None:
                try:
                    await asyncio.wait_for(event.wait(), timeout=float(timeout))
                except TimeoutError:
                    pass
        limit = params.get("limit", 100)
        count = limit if isinstance(limit, int) and limit > 0 else 100
        return list(itertools.islice(queue, count))


@dataclass
class _Error:
    code: int
    description: str


class _MethodHandler(tornado.web.RequestHandler):
    def initialize(self, api: FakeTelegramAPI) -> None:
        self.api = api

    def _params(self) -> tuple[JSON, dict[str, bytes]]:
        params: JSON = {}
        for name, values in self.request.query_arguments.items():
            params[name] = _decode(name, values[-1].decode())
        content_type = self.request.headers.get("Content-Type", "")
        if content_type.startswith("application/json") and self.request.body:
            params.update(json.loads(self.request.body))
        else:
            for name, values in self.request.body_arguments.items():
                params[name] = _decode(name, values[-1].decode())
        files = {name: parts[0]["body"] for name, parts in self.request.files.items()}
        return params, files

    async def _handle(self, token: str, method: str) -> None:
        params, files = self._params()
        status, body = await self.api.answer(token, method, params, files)
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(body))

    async def post(self, token: str, method: str) -> None:
        await self._handle(token, method)

    async def get(self, token: str, method: str) -> None:
        await self._handle(token, method)


class _FileHandler(tornado.web.RequestHandler):
    def initialize(self, api: FakeTelegramAPI) -> None:
        self.api = api

    def get(self, token: str, path: str) -> None:
        content = self.api.files.get(path)
        if content is None:
            self.set_status(404)
            self.finish(json.dumps({"ok": False, "error_code": 404, "description": "Not Found"}))
            return
        self.finish(content)


# Update ids start from the clock, so runs that share a database (evals, benches) never reuse one.
_UPDATE_IDS = itertools.count(int(time.time() * 1000))
_MESSAGE_IDS = itertools.count(1)


class Updates:
    """Real Bot API update JSON, with increasing update ids."""

    def __init__(self, start: int | None = None) -> None:
        # Unique across every Updates of the process, so a restarted bot never mistakes a new update for a repeat.
        self._ids = _UPDATE_IDS if start is None else itertools.count(start)
        self._message_ids = _MESSAGE_IDS

    @staticmethod
    def user(
        user_id: int, *, first_name: str = "Test", language_code: str = "ru", username: str | None = None
    ) -> JSON:
        user: JSON = {
            "id": user_id,
            "is_bot": False,
            "first_name": first_name,
            "language_code": language_code,
        }
        if username:
            user["username"] = username
        return user

    def _message(
        self,
        user_id: int,
        *,
        chat_id: int | None = None,
        language_code: str = "ru",
        first_name: str = "Test",
        reply_to: JSON | None = None,
        **content: Any,
    ) -> JSON:
        chat_id = user_id if chat_id is None else chat_id
        chat: JSON = (
            {"id": chat_id, "type": "private", "first_name": first_name}
            if chat_id > 0
            else {"id": chat_id, "type": "supergroup", "title": "Sales team"}
        )
        message: JSON = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": self.user(user_id, first_name=first_name, language_code=language_code),
            **content,
        }
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        return {"update_id": next(self._ids), "message": message}

    def text(self, user_id: int, text: str, **kwargs: Any) -> JSON:
        entities: Iterable[JSON] = ()
        if text.startswith("/"):
            command = text.split()[0]
            entities = ({"type": "bot_command", "offset": 0, "length": len(command)},)
        update = self._message(user_id, text=text, **kwargs)
        if entities:
            update["message"]["entities"] = list(entities)
        return update

    def contact(self, user_id: int, phone: str, *, first_name: str = "Test", **kwargs: Any) -> JSON:
        contact = {"phone_number": phone, "first_name": first_name, "user_id": user_id}
        return self._message(user_id, contact=contact, first_name=first_name, **kwargs)

    def voice(self, user_id: int, *, file_id: str = "voice1", duration: int = 3, **kwargs: Any) -> JSON:
        voice = {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "duration": duration,
            "mime_type": "audio/ogg",
        }
        return self._message(user_id, voice=voice, **kwargs)

    def callback(
        self, user_id: int, data: str, *, message: JSON | None = None, language_code: str = "ru"
    ) -> JSON:
        """A button press on `message` (a sent message's JSON, e.g. from a bot reply) carrying `data`."""
        message = message or {
            "message_id": 1,
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private", "first_name": "Test"},
            "text": "…",
        }
        query = {
            "id": str(next(self._ids)),
            "from": self.user(user_id, language_code=language_code),
            "chat_instance": f"ci{user_id}",
            "data": data,
            "message": message,
        }
        return {"update_id": next(self._ids), "callback_query": query}

    @staticmethod
    def sent_message(call: ApiCall, *, message_id: int = 1) -> JSON:
        """A message JSON as the bot sent it in `call` (for replies and button presses)."""
        if isinstance(call.result, dict):
            return dict(call.result)
        chat_id = call.chat_id if isinstance(call.chat_id, int) else 0
        message: JSON = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup", "first_name": "Test"},
            "from": _bot_user(call.token),
            "text": call.text or "",
        }
        if call.reply_markup:
            message["reply_markup"] = call.reply_markup
        return message


class BotDriver:
    """Feeds real update JSON to a python-telegram-bot Application and returns what it sent back.

    Duck-typed on the Application (`process_update`, `bot`), so this module needs no PTB import at load.

        driver = BotDriver(app, api)
        replies = await driver.text(7, "Привет")
        replies = await driver.press(7, replies[-1], "Да")
    """

    def __init__(self, application: Any, api: FakeTelegramAPI, updates: Updates | None = None) -> None:
        self.application = application
        self.api = api
        self.updates = updates or Updates()

    @property
    def token(self) -> str:
        return str(self.application.bot.token)

    async def feed(self, update: JSON) -> list[ApiCall]:
        """Process one update to the end of its handlers; the calls the bot made meanwhile."""
        from telegram import Update

        before = len(self.api.calls)
        await self.application.process_update(Update.de_json(update, self.application.bot))
        return [call for call in self.api.calls[before:] if call.token == self.token]

    @staticmethod
    def messages(calls: list[ApiCall], chat_id: int | None = None) -> list[ApiCall]:
        return [c for c in calls if c.method == "sendMessage" and (chat_id is None or c.chat_id == chat_id)]

    async def text(
        self, user_id: int, text: str, *, reply_to: ApiCall | None = None, **kwargs: Any
    ) -> list[ApiCall]:
        """The user writes `text` (optionally replying to a message the bot sent); the bot's messages to them."""
        replied = Updates.sent_message(reply_to) if reply_to is not None else None
        calls = await self.feed(self.updates.text(user_id, text, reply_to=replied, **kwargs))
        return self.messages(calls, kwargs.get("chat_id", user_id))

    async def press(
        self,
        user_id: int,
        call: ApiCall,
        label_part: str,
        *,
        language_code: str = "ru",
        data: str | None = None,
    ) -> list[ApiCall]:
        """The user taps the button labelled `label_part` under the message sent in `call`."""
        pressed = data if data is not None else str(call.button(label_part)["callback_data"])
        update = self.updates.callback(
            user_id, pressed, message=Updates.sent_message(call), language_code=language_code
        )
        calls = await self.feed(update)
        return self.messages(calls, user_id)

    async def contact(self, user_id: int, phone: str, **kwargs: Any) -> list[ApiCall]:
        return self.messages(await self.feed(self.updates.contact(user_id, phone, **kwargs)), user_id)
