"""Second factor for staff: setup with a real authenticator code, the code step of the
login, recovery codes, limits, the required mode and an administrator's reset."""

from __future__ import annotations

import datetime as dt
import os
import re
import time
from collections.abc import Iterator

import pyotp
import pytest

from boerse.accounts import ratelimit, totp
from boerse.accounts.auth import SESSION_COOKIE
from boerse.accounts.sessions import PENDING_COOKIE
from boerse.accounts.tables import LoginSession, RecoveryCode, Role, User
from boerse.audit.tables import AuditEntry
from boerse.lib import queue
from boerse.lib.db import utcnow
from boerse.settings import Settings, SettingsError, get_settings
from tests.accounts.sources import client_from, log_in
from tests.support.factories import PASSWORD, make_officer, make_user, sign_in

STAFF_PAGE = "/verwaltung/angebote"
SETUP = "/konto/zwei-faktor"
CODE_PAGE = "/konto/anmelden/code"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def current_code(secret: str = SECRET) -> str:
    return pyotp.TOTP(secret).now()


def next_code(secret: str = SECRET) -> str:
    """The code of the next 30-second step: still inside the window, and not yet used."""
    return pyotp.TOTP(secret).at(time.time() + totp.INTERVAL_SECONDS)


async def officer_with_second_factor(email: str = "amt@example.org") -> User:
    return await make_officer(email=email, totp_secret=SECRET, totp_enabled_at=utcnow())


async def enter_code(client, code: str, next_path: str = STAFF_PAGE):
    return await client.submit(CODE_PAGE, {"code": code, "next": next_path})


async def password_step(client, email: str = "amt@example.org"):
    response = await client.submit(
        "/konto/anmelden", {"email": email, "password": PASSWORD, "next": STAFF_PAGE}
    )
    assert response.status_code == 303
    return response


@pytest.fixture
def two_factor_required() -> Iterator[None]:
    """The production default (the test suite runs with `optional`)."""
    previous = os.environ.get("STAFF_TWO_FACTOR")
    os.environ["STAFF_TWO_FACTOR"] = "required"
    get_settings.cache_clear()
    yield
    if previous is None:
        del os.environ["STAFF_TWO_FACTOR"]
    else:
        os.environ["STAFF_TWO_FACTOR"] = previous
    get_settings.cache_clear()


# --- the code itself ---------------------------------------------------------------------


def test_codes_of_the_neighbouring_steps_count_and_each_step_only_once():
    now = dt.datetime(2026, 11, 30, 10, 0, 10, tzinfo=dt.UTC)
    step = totp.time_step(now)
    code_at = pyotp.TOTP(SECRET).generate_otp

    assert totp.matching_step(SECRET, code_at(step), now, 0) == step
    assert totp.matching_step(SECRET, code_at(step - 1), now, 0) == step - 1
    assert totp.matching_step(SECRET, code_at(step + 1), now, 0) == step + 1
    assert totp.matching_step(SECRET, code_at(step - 2), now, 0) is None
    assert totp.matching_step(SECRET, code_at(step), now, step) is None  # used already
    assert totp.matching_step(SECRET, " ".join([code_at(step)[:3], code_at(step)[3:]]), now, 0)
    assert totp.matching_step(SECRET, "abcdef", now, 0) is None


def test_recovery_codes_are_random_and_compared_without_case_or_dashes():
    codes = totp.new_recovery_codes()
    assert len(set(codes)) == totp.RECOVERY_CODE_COUNT
    assert all(re.fullmatch(r"[a-z2-9]{4}(-[a-z2-9]{4}){3}", code) for code in codes)
    typed = codes[0].upper().replace("-", " ")
    assert totp.hash_recovery_code(typed) == totp.hash_recovery_code(codes[0])


# --- setup -------------------------------------------------------------------------------


async def test_setup_with_a_real_code_turns_it_on_and_shows_the_recovery_codes_once(client):
    officer = await make_officer(email="amt@example.org")
    await sign_in(client, officer)

    page = await client.get(SETUP)
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store"
    assert 'src="data:image/svg+xml' in page.text
    secret = (await User.select(User.totp_secret).where(User.id == officer.id).first())[
        "totp_secret"
    ]
    assert totp.grouped(secret) in page.text
    assert (await client.get(SETUP)).text.count(totp.grouped(secret)) == 1  # same secret

    wrong = await client.submit("/konto/zwei-faktor/einrichten", {"code": "000000"})
    assert wrong.status_code == 400
    assert "Der Code stimmt nicht" in wrong.text

    done = await client.submit("/konto/zwei-faktor/einrichten", {"code": current_code(secret)})

    assert done.status_code == 200
    assert done.headers["cache-control"] == "no-store"
    shown = re.findall(r"<code>([a-z2-9-]{19})</code>", done.text)
    assert len(shown) == 10
    stored = {row["code_hash"] for row in await RecoveryCode.select(RecoveryCode.code_hash)}
    assert stored == {totp.hash_recovery_code(code) for code in shown}
    assert not stored & set(shown)
    assert (await User.objects().get(User.id == officer.id)).totp_enabled_at is not None
    (entry,) = await AuditEntry.select(AuditEntry.action, AuditEntry.actor_id)
    assert entry == {"action": "two_factor_enabled", "actor_id": officer.id}
    status = await client.get(SETUP)
    assert "ist eingeschaltet" in status.text
    assert "10 unbenutzte Wiederherstellungscodes" in status.text
    assert not re.search(r"<code>[a-z2-9-]{19}</code>", status.text)


async def test_residents_have_no_setup_page(client):
    await sign_in(client, await make_user())
    assert (await client.get(SETUP)).status_code == 403


# --- login -------------------------------------------------------------------------------


async def test_login_asks_for_the_code_before_signing_in(client):
    await officer_with_second_factor()

    response = await password_step(client)

    assert response.headers["location"] == f"{CODE_PAGE}?next=%2Fverwaltung%2Fangebote"
    assert SESSION_COOKIE not in client.cookies
    assert PENDING_COOKIE in client.cookies
    assert (await client.get(STAFF_PAGE)).headers["location"].startswith("/konto/anmelden")
    form = await client.get(response.headers["location"])
    assert form.status_code == 200
    assert 'autocomplete="one-time-code"' in form.text

    wrong = await enter_code(client, "123456")
    assert wrong.status_code == 400
    assert "Der Code stimmt nicht" in wrong.text
    assert SESSION_COOKIE not in client.cookies

    right = await enter_code(client, current_code())

    assert right.status_code == 303
    assert right.headers["location"] == STAFF_PAGE
    assert PENDING_COOKIE not in client.cookies
    assert (await client.get(STAFF_PAGE)).status_code == 200
    sessions = await LoginSession.select(LoginSession.second_factor_pending)
    assert sessions == [{"second_factor_pending": False}]


async def test_pending_session_opens_nothing_even_as_the_session_cookie(client):
    await officer_with_second_factor()
    await password_step(client)
    client.cookies.set(SESSION_COOKIE, client.cookies[PENDING_COOKIE])

    for path in (STAFF_PAGE, "/konto", "/admin"):
        response = await client.get(path)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/konto/anmelden"), path
    assert "Abmelden" not in (await client.get("/impressum")).text


async def test_residents_and_staff_without_second_factor_log_in_with_the_password(client):
    await make_officer(email="amt@example.org")
    response = await password_step(client)
    assert response.headers["location"] == STAFF_PAGE
    assert SESSION_COOKIE in client.cookies


async def test_a_code_works_only_once(client):
    await officer_with_second_factor()
    code = current_code()
    await password_step(client)
    assert (await enter_code(client, code)).status_code == 303
    await client.submit("/konto/abmelden", {})

    await password_step(client)
    again = await enter_code(client, code)

    assert again.status_code == 400
    assert (await enter_code(client, next_code())).status_code == 303


async def test_recovery_code_signs_in_once(client):
    officer = await make_officer(email="amt@example.org")
    await sign_in(client, officer)
    await client.get(SETUP)
    secret = (await User.objects().get(User.id == officer.id)).totp_secret
    done = await client.submit("/konto/zwei-faktor/einrichten", {"code": current_code(secret)})
    recovery = re.findall(r"<code>([a-z2-9-]{19})</code>", done.text)[0]
    await client.submit("/konto/abmelden", {})

    await password_step(client)
    first = await enter_code(client, recovery.upper())
    await client.submit("/konto/abmelden", {})
    await password_step(client)
    second = await enter_code(client, recovery)

    assert first.status_code == 303
    assert second.status_code == 400
    assert await RecoveryCode.count().where(RecoveryCode.used_at.is_null()) == 9


async def test_code_attempts_are_limited_like_passwords(client):
    await officer_with_second_factor()
    await password_step(client)
    for _ in range(ratelimit.PAIR_LIMIT):
        assert (await enter_code(client, "000000")).status_code == 400

    refused = await enter_code(client, current_code())

    assert refused.status_code == 429
    assert SESSION_COOKIE not in client.cookies


async def test_pending_login_expires(client):
    await officer_with_second_factor()
    await password_step(client)
    await LoginSession.update(
        {LoginSession.created_at: utcnow() - dt.timedelta(minutes=11)}, force=True
    )

    response = await enter_code(client, current_code())

    assert response.status_code == 303
    assert response.headers["location"] == "/konto/anmelden"
    assert SESSION_COOKIE not in client.cookies
    assert "zu lange gedauert" in (await client.get("/konto/anmelden")).text


async def test_code_page_without_a_password_step_leads_to_the_login(client):
    response = await client.get(CODE_PAGE)
    assert response.status_code == 303
    assert response.headers["location"] == "/konto/anmelden"


# --- required or optional ----------------------------------------------------------------


async def test_required_mode_sends_staff_without_second_factor_to_the_setup(
    client, two_factor_required
):
    officer = await make_officer(email="amt@example.org")
    await client.csrf_token()
    await sign_in(client, officer)

    for path in (STAFF_PAGE, "/", "/konto", "/meine-termine"):
        response = await client.get(path)
        assert response.status_code == 303, path
        assert response.headers["location"] == SETUP, path
    refused_post = await client.submit("/verwaltung/angebote/neu", {"title": "x"})
    assert refused_post.headers["location"] == SETUP
    page = await client.get(SETUP)
    assert page.status_code == 200
    assert "vorgeschrieben" in page.text

    secret = (await User.objects().get(User.id == officer.id)).totp_secret
    await client.submit("/konto/zwei-faktor/einrichten", {"code": current_code(secret)})

    assert (await client.get(STAFF_PAGE)).status_code == 200


async def test_required_mode_leaves_residents_and_logging_out_alone(client, two_factor_required):
    resident = await make_user()
    await sign_in(client, resident)
    assert (await client.get("/konto")).status_code == 200
    await sign_in(client, await make_officer())
    assert (await client.submit("/konto/abmelden", {})).status_code == 303
    assert (await client.get("/")).status_code == 200


async def test_optional_mode_lets_staff_work_without_second_factor(client):
    assert get_settings().staff_two_factor == "optional"
    await sign_in(client, await make_officer())
    assert (await client.get(STAFF_PAGE)).status_code == 200


def test_second_factor_is_required_unless_in_development_mode(monkeypatch):
    monkeypatch.delenv("STAFF_TWO_FACTOR", raising=False)
    monkeypatch.setenv("BOERSE_DEV", "0")
    assert Settings.from_env().staff_two_factor == "required"
    monkeypatch.setenv("BOERSE_DEV", "1")
    monkeypatch.setenv("DATABASE_URL", "")
    assert Settings.from_env().staff_two_factor == "optional"
    monkeypatch.setenv("STAFF_TWO_FACTOR", "sometimes")
    with pytest.raises(SettingsError, match="STAFF_TWO_FACTOR"):
        Settings.from_env()


# --- switching off, new codes, reset -----------------------------------------------------


async def test_switching_off_needs_password_and_code(client):
    officer = await officer_with_second_factor()
    await sign_in(client, officer)

    wrong = await client.submit(
        "/konto/zwei-faktor/ausschalten", {"password": "falsch-falsch", "off_code": current_code()}
    )
    assert wrong.status_code == 400
    assert (await User.objects().get(User.id == officer.id)).totp_enabled_at is not None

    done = await client.submit(
        "/konto/zwei-faktor/ausschalten", {"password": PASSWORD, "off_code": current_code()}
    )

    assert done.status_code == 303
    changed = await User.objects().get(User.id == officer.id)
    assert changed.totp_enabled_at is None and changed.totp_secret == ""
    entries = await AuditEntry.select(AuditEntry.action).where(AuditEntry.actor_id == officer.id)
    assert entries == [{"action": "two_factor_disabled"}]


async def test_new_recovery_codes_replace_the_old_ones(client):
    officer = await make_officer(email="amt@example.org")
    await sign_in(client, officer)
    await client.get(SETUP)
    secret = (await User.objects().get(User.id == officer.id)).totp_secret
    first = await client.submit("/konto/zwei-faktor/einrichten", {"code": current_code(secret)})
    old = set(re.findall(r"<code>([a-z2-9-]{19})</code>", first.text))

    refused = await client.submit("/konto/zwei-faktor/wiederherstellungscodes", {"code": "1"})
    renewed = await client.submit(
        "/konto/zwei-faktor/wiederherstellungscodes", {"code": next_code(secret)}
    )

    assert refused.status_code == 400
    new = set(re.findall(r"<code>([a-z2-9-]{19})</code>", renewed.text))
    assert len(new) == 10 and not new & old
    stored = {row["code_hash"] for row in await RecoveryCode.select(RecoveryCode.code_hash)}
    assert stored == {totp.hash_recovery_code(code) for code in new}


async def test_admin_resets_a_staff_members_second_factor(client):
    officer = await officer_with_second_factor()
    await RecoveryCode.insert(RecoveryCode(user=officer.id, code_hash="x" * 64))
    await sign_in(client, officer)  # a session on the lost phone
    admin = await make_user(email="chefin@example.org", role=Role.ADMIN)
    await sign_in(client, admin)
    listing = await client.get("/admin/konten?rolle=officer")
    assert f"/admin/konten/{officer.id}/zwei-faktor-zuruecksetzen" in listing.text

    response = await client.submit(
        f"/admin/konten/{officer.id}/zwei-faktor-zuruecksetzen", {"back": "/admin/konten"}
    )

    assert response.status_code == 303
    changed = await User.objects().get(User.id == officer.id)
    assert changed.totp_enabled_at is None and changed.totp_secret == ""
    assert await RecoveryCode.count() == 0
    assert await LoginSession.count().where(LoginSession.user == officer.id) == 0
    entry = await AuditEntry.objects().where(AuditEntry.action == "two_factor_reset").first()
    assert entry.target_id == officer.id and entry.actor_id == admin.id
    assert "zurückgesetzt" in (await client.get("/admin/konten")).text


async def test_only_admins_reset_and_only_staff_accounts(client):
    officer = await officer_with_second_factor()
    resident = await make_user()
    await sign_in(client, await make_officer())
    path = f"/admin/konten/{officer.id}/zwei-faktor-zuruecksetzen"
    assert (await client.submit(path, {})).status_code == 403
    await sign_in(client, await make_user(role=Role.ADMIN))
    assert (
        await client.submit(f"/admin/konten/{resident.id}/zwei-faktor-zuruecksetzen", {})
    ).status_code == 404
    assert (await User.objects().get(User.id == officer.id)).totp_enabled_at is not None


async def test_login_step_counts_against_its_own_limit_keyed_by_source(app):
    # The pair key of a code guess names the account and the source, hashed.
    officer = await officer_with_second_factor()
    async with client_from(app, "203.0.113.9") as attacker:
        await log_in(attacker, "amt@example.org")
        await enter_code(attacker, "000000")
    attempt = ratelimit.Attempt("second_factor", f"user:{officer.id}", "203.0.113.9", True)
    assert int(await (await queue.connection()).get(attempt.pair_key)) == 1
