"""Google Calendar per rep: connecting by conversation, a real check behind "connected ✓", revoked tokens,
free/busy and events — against stand-ins that answer like Google does, never the network."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from cryptography.fernet import Fernet
from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncSession

from agent.adapters.crypto import TokenEncryptionKeyMissing, decrypt_token, encrypt_token
from agent.adapters.google import (
    LOOPBACK_REDIRECT_URI,
    AuthorizationDenied,
    AuthorizationTextInvalid,
    EventDraft,
    GoogleCalendar,
    GoogleOAuthConfig,
    MissingPermissions,
    ReconnectRequired,
    WrongAccountDomain,
    credentials_from_token,
    event_id_for,
    parse_pasted,
    redirect_uri_for,
)
from agent.core.clock import FrozenClock
from agent.services.calendars import connection
from agent.settings import Settings
from storage.db import Database
from storage.models import OAuthState, SalesRepresentative, Tenant
from storage.repositories.oauth_states import OAuthStateRepository
from tests.fakes.google_api import (
    GoogleStub,
    api_error,
    calendar_list_entry,
    event,
    freebusy,
    invalid_grant,
    no_content,
    ok,
    refresh_response,
    token_response,
    unauthorized,
)

CLIENT_ID = "123456789012-abcdefghijklmnop.apps.googleusercontent.com"
DOMAIN = "acme-realty.com"


@pytest.fixture
def google_settings(settings: Settings) -> Settings:
    return settings.model_copy(
        update={
            "google_client_id": CLIENT_ID,
            "google_client_secret": SecretStr("GOCSPX-test-secret"),
            "token_encryption_key": SecretStr(Fernet.generate_key().decode()),
            "corporate_email_domain": DOMAIN,
            "public_base_url": None,
        }
    )


@pytest.fixture
async def session(database: Database) -> AsyncIterator[AsyncSession]:
    async with database.session() as session:
        yield session


async def _rep(
    session: AsyncSession, email: str = f"anna@{DOMAIN}", telegram_id: int = 501
) -> SalesRepresentative:
    tenant = Tenant(name="Acme Realty", slug=f"acme-{telegram_id}", time_zone="Asia/Makassar")
    session.add(tenant)
    await session.flush()
    rep = SalesRepresentative(
        tenant_id=tenant.id,
        telegram_id=telegram_id,
        name="Anna",
        email=email,
        status="active",
        working_hours={},
    )
    session.add(rep)
    await session.flush()
    return rep


def _redirect(link_url: str, code: str = "4/0AfJohXn-the-authorization-code-from-google") -> str:
    state = parse_qs(urlsplit(link_url).query)["state"][0]
    scope = "email%20openid%20https://www.googleapis.com/auth/calendar.events"
    return f"{LOOPBACK_REDIRECT_URI}?state={state}&iss=https://accounts.google.com&code={code}&scope={scope}"


# --- Connecting by conversation ----------------------------------------------------------------------


async def test_a_rep_connects_by_pasting_the_redirect_address(
    session: AsyncSession, google_settings: Settings, google: GoogleStub, clock: FrozenClock
) -> None:
    rep = await _rep(session)
    link = await connection.start(session, rep, tenant=None, settings=google_settings, now=clock.now())

    query = parse_qs(urlsplit(link.url).query)
    assert link.pasted_back and link.domain == DOMAIN
    assert query["redirect_uri"] == [LOOPBACK_REDIRECT_URI]
    assert query["access_type"] == ["offline"] and query["code_challenge_method"] == ["S256"]
    assert query["login_hint"] == [rep.email] and query["hd"] == [DOMAIN]
    stored = await OAuthStateRepository(session).latest_for_rep(str(rep.id))
    assert stored is not None and query["state"] == [stored.state]
    assert stored.expires_at == clock.now() + connection.STATE_TTL

    google.token_endpoint.answers.append((200, token_response(email=rep.email, client_id=CLIENT_ID)))
    google.queue(ok(calendar_list_entry(rep.email, "Asia/Makassar")))
    clock.advance(timedelta(minutes=5))
    check = await connection.finish(
        session,
        rep,
        f"  {_redirect(link.url)}  ",
        tenant=None,
        settings=google_settings,
        transport=google.transport,
        now=clock.now(),
    )

    assert check.connected and check.account == rep.email
    assert rep.calendar_connected and rep.calendar_account_name == rep.email
    assert rep.time_zone == "Asia/Makassar"
    exchange = google.token_endpoint.form()
    assert exchange["grant_type"] == "authorization_code"
    assert exchange["code"] == "4/0AfJohXn-the-authorization-code-from-google"
    assert exchange["code_verifier"] == stored.code_verifier
    assert exchange["redirect_uri"] == LOOPBACK_REDIRECT_URI
    assert google.requests[0][0].startswith(
        "https://www.googleapis.com/calendar/v3/users/me/calendarList/primary"
    )
    assert google.requests[0][3]["authorization"] == "Bearer ya29.a0AfB_byC-first-access-token"
    # Encrypted at rest, readable with the key, and the link is used up.
    assert rep.google_token_encrypted is not None and b"ya29" not in rep.google_token_encrypted
    token = decrypt_token(rep.google_token_encrypted, google_settings)
    assert token["refresh_token"] == "1//0gdZ-refresh-token-xyz" and token["account"] == rep.email
    assert await OAuthStateRepository(session).latest_for_rep(str(rep.id)) is None


async def test_the_bare_code_is_accepted_too(
    session: AsyncSession, google_settings: Settings, google: GoogleStub, clock: FrozenClock
) -> None:
    rep = await _rep(session)
    await connection.start(session, rep, tenant=None, settings=google_settings, now=clock.now())
    google.token_endpoint.answers.append((200, token_response(email=rep.email, client_id=CLIENT_ID)))
    google.queue(ok(calendar_list_entry(rep.email, "Asia/Makassar")))

    check = await connection.finish(
        session,
        rep,
        "4/0AfJohXn-bare-code-copied-by-hand",
        tenant=None,
        settings=google_settings,
        transport=google.transport,
        now=clock.now(),
    )
    assert check.connected
    assert google.token_endpoint.form()["code"] == "4/0AfJohXn-bare-code-copied-by-hand"


async def test_an_account_outside_the_corporate_domain_is_refused(
    session: AsyncSession, google_settings: Settings, google: GoogleStub, clock: FrozenClock
) -> None:
    rep = await _rep(session)
    link = await connection.start(session, rep, tenant=None, settings=google_settings, now=clock.now())
    google.token_endpoint.answers.append(
        (200, token_response(email="anna.private@gmail.com", client_id=CLIENT_ID))
    )

    with pytest.raises(WrongAccountDomain) as refused:
        await connection.finish(
            session,
            rep,
            _redirect(link.url),
            tenant=None,
            settings=google_settings,
            transport=google.transport,
            now=clock.now(),
        )
    assert refused.value.email == "anna.private@gmail.com" and refused.value.domain == DOMAIN
    assert not rep.calendar_connected and rep.google_token_encrypted is None
    assert google.requests == []  # no calendar call was made with that account


async def test_an_unverified_address_of_the_domain_is_refused(
    session: AsyncSession, google_settings: Settings, google: GoogleStub, clock: FrozenClock
) -> None:
    rep = await _rep(session)
    link = await connection.start(session, rep, tenant=None, settings=google_settings, now=clock.now())
    google.token_endpoint.answers.append(
        (200, token_response(email=rep.email, client_id=CLIENT_ID, verified=False))
    )
    with pytest.raises(WrongAccountDomain):
        await connection.finish(
            session,
            rep,
            _redirect(link.url),
            tenant=None,
            settings=google_settings,
            transport=google.transport,
            now=clock.now(),
        )


async def test_an_expired_link_asks_for_a_new_one(
    session: AsyncSession, google_settings: Settings, google: GoogleStub, clock: FrozenClock
) -> None:
    rep = await _rep(session)
    link = await connection.start(session, rep, tenant=None, settings=google_settings, now=clock.now())
    clock.advance(connection.STATE_TTL + timedelta(seconds=1))

    with pytest.raises(connection.AuthorizationLinkExpired):
        await connection.finish(
            session,
            rep,
            _redirect(link.url),
            tenant=None,
            settings=google_settings,
            transport=google.transport,
            now=clock.now(),
        )
    assert google.token_endpoint.requests == []
    assert await OAuthStateRepository(session).latest_for_rep(str(rep.id)) is None


async def test_a_new_link_replaces_the_old_one_and_states_are_per_rep(
    session: AsyncSession, google_settings: Settings, google: GoogleStub, clock: FrozenClock
) -> None:
    anna = await _rep(session)
    boris = await _rep(session, email=f"boris@{DOMAIN}", telegram_id=502)
    first = await connection.start(session, anna, tenant=None, settings=google_settings, now=clock.now())
    second = await connection.start(session, anna, tenant=None, settings=google_settings, now=clock.now())
    await connection.start(session, boris, tenant=None, settings=google_settings, now=clock.now())
    assert parse_qs(urlsplit(first.url).query)["state"] != parse_qs(urlsplit(second.url).query)["state"]

    with pytest.raises(connection.NoPendingAuthorization):  # the replaced link
        await connection.finish(
            session,
            anna,
            _redirect(first.url),
            tenant=None,
            settings=google_settings,
            transport=google.transport,
            now=clock.now(),
        )
    with pytest.raises(connection.NoPendingAuthorization):  # Anna's address pasted by Boris
        await connection.finish(
            session,
            boris,
            _redirect(second.url),
            tenant=None,
            settings=google_settings,
            transport=google.transport,
            now=clock.now(),
        )
    assert google.token_endpoint.requests == []


async def test_cancel_on_the_consent_screen_is_explained(
    session: AsyncSession, google_settings: Settings, google: GoogleStub, clock: FrozenClock
) -> None:
    rep = await _rep(session)
    await connection.start(session, rep, tenant=None, settings=google_settings, now=clock.now())
    with pytest.raises(AuthorizationDenied):
        await connection.finish(
            session,
            rep,
            f"{LOOPBACK_REDIRECT_URI}?error=access_denied&state=x",
            tenant=None,
            settings=google_settings,
            transport=google.transport,
            now=clock.now(),
        )


async def test_unticked_calendar_permissions_are_reported(
    session: AsyncSession, google_settings: Settings, google: GoogleStub, clock: FrozenClock
) -> None:
    rep = await _rep(session)
    link = await connection.start(session, rep, tenant=None, settings=google_settings, now=clock.now())
    partial = "openid https://www.googleapis.com/auth/userinfo.email"
    google.token_endpoint.answers.append(
        (200, token_response(email=rep.email, client_id=CLIENT_ID, scope=partial))
    )
    with pytest.raises(MissingPermissions) as missing:
        await connection.finish(
            session,
            rep,
            _redirect(link.url),
            tenant=None,
            settings=google_settings,
            transport=google.transport,
            now=clock.now(),
        )
    assert "https://www.googleapis.com/auth/calendar.events" in missing.value.missing
    assert not rep.calendar_connected


async def test_the_callback_endpoint_finishes_the_flow_from_the_state(
    session: AsyncSession, google_settings: Settings, google: GoogleStub, clock: FrozenClock
) -> None:
    public = google_settings.model_copy(update={"public_base_url": "https://realty.example.com/"})
    rep = await _rep(session)
    link = await connection.start(session, rep, tenant=None, settings=public, now=clock.now())
    assert not link.pasted_back
    assert parse_qs(urlsplit(link.url).query)["redirect_uri"] == [
        "https://realty.example.com/oauth/google/callback"
    ]
    state = parse_qs(urlsplit(link.url).query)["state"][0]
    google.token_endpoint.answers.append((200, token_response(email=rep.email, client_id=CLIENT_ID)))
    google.queue(ok(calendar_list_entry(rep.email, "Asia/Makassar")))

    found, check = await connection.finish_callback(
        session,
        state=state,
        code="4/0Ab-callback-code",
        error=None,
        settings=public,
        transport=google.transport,
        now=clock.now(),
    )
    assert found.id == rep.id and check.connected
    assert google.token_endpoint.form()["redirect_uri"] == "https://realty.example.com/oauth/google/callback"


def test_what_a_rep_may_paste() -> None:
    assert parse_pasted("http://127.0.0.1:8765/?state=abc&code=4/0Ab-x&scope=openid").code == "4/0Ab-x"
    assert parse_pasted("127.0.0.1:8765/?code=4/0Ab-y&state=s").state == "s"
    assert parse_pasted("<4/0AfJohXn-bare-code-long-enough>").code == "4/0AfJohXn-bare-code-long-enough"
    for junk in ("hello", "http://127.0.0.1:8765/?scope=openid", ""):
        with pytest.raises(AuthorizationTextInvalid):
            parse_pasted(junk)


def test_the_redirect_follows_public_base_url(settings: Settings) -> None:
    assert redirect_uri_for(settings.model_copy(update={"public_base_url": None})) == LOOPBACK_REDIRECT_URI
    public = settings.model_copy(update={"public_base_url": "https://x.example"})
    assert redirect_uri_for(public) == "https://x.example/oauth/google/callback"


def test_a_missing_encryption_key_says_how_to_make_one(settings: Settings) -> None:
    with pytest.raises(TokenEncryptionKeyMissing, match=r"Fernet\.generate_key"):
        encrypt_token({"token": "x"}, settings.model_copy(update={"token_encryption_key": None}))
    with pytest.raises(TokenEncryptionKeyMissing, match="not a valid Fernet key"):
        encrypt_token(
            {"token": "x"}, settings.model_copy(update={"token_encryption_key": SecretStr("short")})
        )


def test_keys_rotate_without_disconnecting_anyone(settings: Settings) -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    blob = encrypt_token({"token": "t"}, settings.model_copy(update={"token_encryption_key": SecretStr(old)}))
    rotated = settings.model_copy(update={"token_encryption_key": SecretStr(f"{new},{old}")})
    assert decrypt_token(blob, rotated) == {"token": "t"}


# --- Using the calendar ----------------------------------------------------------------------------


def _connected_calendar(google: GoogleStub, google_settings: Settings, *, expired: bool) -> GoogleCalendar:
    config = GoogleOAuthConfig.from_settings(google_settings)
    assert config is not None
    expiry = datetime(2020, 1, 1, tzinfo=UTC) if expired else datetime(2100, 1, 1, tzinfo=UTC)
    stored = {
        "token": "ya29.old-access-token",
        "refresh_token": "1//0gdZ-refresh-token-xyz",
        "expiry": expiry.isoformat(),
        "account": f"anna@{DOMAIN}",
    }
    return GoogleCalendar(credentials_from_token(stored, config), google.transport, stored_token=stored)


async def test_an_expired_access_token_is_refreshed_by_google_auth(
    google: GoogleStub, google_settings: Settings
) -> None:
    calendar = _connected_calendar(google, google_settings, expired=True)
    start, end = datetime(2026, 3, 2, tzinfo=UTC), datetime(2026, 3, 9, tzinfo=UTC)
    busy = [(datetime(2026, 3, 3, 2, tzinfo=UTC), datetime(2026, 3, 3, 3, 30, tzinfo=UTC))]
    google.queue(refresh_response(), ok(freebusy(start, end, busy)))

    blocks = await calendar.busy(start, end)

    assert [(b.start, b.end) for b in blocks] == busy
    refresh_uri, method, raw, _ = google.requests[0]
    body = raw.decode() if isinstance(raw, bytes) else raw
    assert refresh_uri == "https://oauth2.googleapis.com/token" and method == "POST"
    assert "grant_type=refresh_token" in body and "refresh_token=1%2F%2F0gdZ-refresh-token-xyz" in body
    assert google.requests[1][3]["authorization"] == "Bearer ya29.a0AfB_byC-refreshed"
    assert google.body(1) == {
        "timeMin": "2026-03-02T00:00:00Z",
        "timeMax": "2026-03-09T00:00:00Z",
        "timeZone": "UTC",
        "items": [{"id": "primary"}],
    }
    refreshed = calendar.refreshed_token()
    assert refreshed is not None and refreshed["token"] == "ya29.a0AfB_byC-refreshed"
    assert refreshed["account"] == f"anna@{DOMAIN}"


async def test_a_token_revoked_mid_life_asks_the_rep_to_reconnect(
    session: AsyncSession, google_settings: Settings, google: GoogleStub, clock: FrozenClock
) -> None:
    rep = await _rep(session)
    link = await connection.start(session, rep, tenant=None, settings=google_settings, now=clock.now())
    google.token_endpoint.answers.append((200, token_response(email=rep.email, client_id=CLIENT_ID)))
    google.queue(ok(calendar_list_entry(rep.email, "Asia/Makassar")))
    await connection.finish(
        session,
        rep,
        _redirect(link.url),
        tenant=None,
        settings=google_settings,
        transport=google.transport,
        now=clock.now(),
    )
    assert rep.calendar_connected

    # The rep removes the app in their Google account: the access token is refused, the refresh too.
    google.queue(unauthorized(), invalid_grant())
    check = await connection.verify(rep, settings=google_settings, transport=google.transport)

    assert not check.connected and check.reconnect
    assert not rep.calendar_connected and rep.google_token_encrypted is None
    assert rep.calendar_account_name == rep.email  # kept, so the rep is asked to reconnect that account
    assert google.requests[-1][0] == "https://oauth2.googleapis.com/token"


async def test_invalid_grant_on_refresh_is_a_reconnect(google: GoogleStub, google_settings: Settings) -> None:
    calendar = _connected_calendar(google, google_settings, expired=True)
    google.queue(invalid_grant())
    with pytest.raises(ReconnectRequired, match="invalid_grant"):
        await calendar.busy(datetime(2026, 3, 2, tzinfo=UTC), datetime(2026, 3, 3, tzinfo=UTC))


async def test_a_google_outage_changes_nothing(
    session: AsyncSession, google_settings: Settings, google: GoogleStub
) -> None:
    rep = await _rep(session)
    rep.google_token_encrypted = encrypt_token(
        {"token": "ya29.valid", "refresh_token": "1//r", "expiry": "2100-01-01T00:00:00+00:00"},
        google_settings,
    )
    rep.calendar_connected = True
    rep.calendar_account_name = rep.email
    google.queue(api_error(503, "backendError", "Backend Error"))

    check = await connection.verify(rep, settings=google_settings, transport=google.transport)
    assert check.unavailable and not check.reconnect
    assert rep.google_token_encrypted is not None and rep.calendar_connected


async def test_an_event_with_the_lead_invited_and_a_meet_link(
    google: GoogleStub, google_settings: Settings
) -> None:
    calendar = _connected_calendar(google, google_settings, expired=False)
    draft = EventDraft(
        summary="Viewing: Villa Sunset — Ivan Petrov",
        description="Villa Sunset\nJl. Pantai Berawa 12, Canggu\nhttps://acme.example/p/7",
        starts_at=datetime(2026, 3, 10, 2, 0, tzinfo=UTC),
        ends_at=datetime(2026, 3, 10, 3, 0, tzinfo=UTC),
        time_zone="Asia/Makassar",
        location="Jl. Pantai Berawa 12, Canggu",
        attendees=(("ivan@example.com", "Ivan Petrov"),),
        google_meet=True,
        key="acme:viewing:41",
    )
    event_id = event_id_for("acme:viewing:41")
    google.queue(
        ok(
            event(
                event_id,
                summary=draft.summary,
                start="2026-03-10T10:00:00+08:00",
                end="2026-03-10T11:00:00+08:00",
                time_zone="Asia/Makassar",
                organizer=f"anna@{DOMAIN}",
                attendees=["ivan@example.com"],
                meet_code="abc-defg-hij",
            )
        )
    )

    created = await calendar.insert_event(draft)

    assert created.id == event_id and created.meet_link == "https://meet.google.com/abc-defg-hij"
    uri, method, _, _ = google.requests[0]
    query = parse_qs(urlsplit(uri).query)
    assert method == "POST" and urlsplit(uri).path == "/calendar/v3/calendars/primary/events"
    assert query["sendUpdates"] == ["all"] and query["conferenceDataVersion"] == ["1"]
    body = google.body(0)
    assert body["id"] == event_id
    assert body["start"] == {"dateTime": "2026-03-10T10:00:00+08:00", "timeZone": "Asia/Makassar"}
    assert body["attendees"] == [{"email": "ivan@example.com", "displayName": "Ivan Petrov"}]
    assert body["conferenceData"]["createRequest"]["conferenceSolutionKey"] == {"type": "hangoutsMeet"}
    assert body["location"] == "Jl. Pantai Berawa 12, Canggu"
    assert "Villa Sunset" in body["description"]


async def test_a_retried_insert_that_already_landed_returns_the_event(
    google: GoogleStub, google_settings: Settings
) -> None:
    calendar = _connected_calendar(google, google_settings, expired=False)
    draft = EventDraft(
        summary="Viewing",
        description="",
        starts_at=datetime(2026, 3, 10, 2, tzinfo=UTC),
        ends_at=datetime(2026, 3, 10, 3, tzinfo=UTC),
        time_zone="UTC",
        key="acme:viewing:42",
    )
    event_id = event_id_for("acme:viewing:42")
    google.queue(
        api_error(409, "duplicate", "The requested identifier already exists."),
        ok(
            event(
                event_id,
                summary="Viewing",
                start="2026-03-10T02:00:00Z",
                end="2026-03-10T03:00:00Z",
                time_zone="UTC",
                organizer=f"anna@{DOMAIN}",
            )
        ),
    )
    created = await calendar.insert_event(draft)
    assert created.id == event_id
    assert google.requests[1][1] == "GET" and google.requests[1][0].split("?")[0].endswith(
        f"/events/{event_id}"
    )


async def test_moving_and_deleting_an_event(google: GoogleStub, google_settings: Settings) -> None:
    calendar = _connected_calendar(google, google_settings, expired=False)
    draft = EventDraft(
        summary="Viewing",
        description="moved",
        starts_at=datetime(2026, 3, 13, 6, tzinfo=UTC),
        ends_at=datetime(2026, 3, 13, 7, tzinfo=UTC),
        time_zone="Asia/Makassar",
        attendees=(("ivan@example.com", None),),
        google_meet=True,
    )
    google.queue(
        ok(
            event(
                "ev1",
                summary="Viewing",
                start="2026-03-13T14:00:00+08:00",
                end="2026-03-13T15:00:00+08:00",
                time_zone="Asia/Makassar",
                organizer=f"anna@{DOMAIN}",
                sequence=1,
                meet_code="abc-defg-hij",
            )
        ),
        no_content(),
        api_error(410, "deleted", "Resource has been deleted"),
    )

    moved = await calendar.patch_event("ev1", draft)
    assert moved.meet_link == "https://meet.google.com/abc-defg-hij"
    uri, method, _, _ = google.requests[0]
    assert method == "PATCH" and urlsplit(uri).path.endswith("/events/ev1")
    assert "conferenceData" not in google.body(0)  # the event keeps its Meet
    assert google.body(0)["start"]["dateTime"] == "2026-03-13T14:00:00+08:00"

    assert await calendar.delete_event("ev1") is True
    assert google.requests[1][1] == "DELETE"
    assert parse_qs(urlsplit(google.requests[1][0]).query)["sendUpdates"] == ["all"]
    assert await calendar.delete_event("ev1") is False  # already gone


async def test_a_missing_permission_on_an_api_call_is_a_reconnect(
    google: GoogleStub, google_settings: Settings
) -> None:
    calendar = _connected_calendar(google, google_settings, expired=False)
    google.queue(api_error(403, "insufficientPermissions", "Request had insufficient authentication scopes."))
    with pytest.raises(ReconnectRequired):
        await calendar.primary()


async def test_states_expire_and_are_purged(session: AsyncSession, clock: FrozenClock) -> None:
    states = OAuthStateRepository(session)
    await states.replace_for_rep(
        rep_id="r1",
        state="s1",
        code_verifier="v" * 43,
        provider="google",
        now=clock.now(),
        expires_at=clock.now() + timedelta(minutes=1),
    )
    assert await states.purge_expired(clock.now()) == 0
    assert await states.purge_expired(clock.now() + timedelta(minutes=2)) == 1
    assert await session.get(OAuthState, "s1") is None
