"""No token and no email address in any log line of the web or the worker process.

The journey runs against a real `boerse serve` and a real `boerse worker`, with their
output captured as an operator's log collector would see it, and follows every link that
carries a key: email verification, password reset, the calendar feed, the survey."""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import secrets
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from boerse.lib.logs import RedactingFilter, redact
from boerse.lib.queue import enqueue
from boerse.opportunities.tables import SignUp, SignUpStatus
from boerse.questionnaires.tables import Answer, Response
from tests.support.factories import make_opportunity, make_organisation, make_session, make_user
from tests.support.fixtures import Client, links_in
from tests.support.services import Mailbox, body_text, free_port
from tests.support.workers import WorkerProcess, wait_until
from tests.surveys.helpers import answer_form, opportunity_plan

ADDRESS = "Erika.Mustermann+boerse@example.org"
PASSWORD = "lange-Wanderung-am-See-7"
NEW_PASSWORD = "noch-laengere-Wanderung-8"


class Server:
    """`boerse serve` as a subprocess, stdout and stderr in one log file."""

    def __init__(self, log_path: Path) -> None:
        self.log_path = log_path
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        with log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "boerse.cli", "serve", "--port", str(self.port)],
                env={**os.environ, "BASE_URL": self.url},
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{self.url}/impressum", timeout=1)  # noqa: S310
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(self.log()) from None
                time.sleep(0.2)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture
def server(tmp_path: Path, database: None) -> Iterator[Server]:
    served = Server(tmp_path / "web.log")
    yield served
    served.stop()


@pytest.fixture
def worker(tmp_path: Path, server: Server) -> Iterator[WorkerProcess]:
    process = WorkerProcess(tmp_path / "worker.log", BASE_URL=server.url).start()
    yield process
    process.stop_quietly()


async def mail_to(mailbox: Mailbox, address: str, count: int) -> str:
    """The text of the `count`-th mail to `address`, once the worker delivered it."""
    address = address.lower()  # stored and sent lower-case

    def received() -> list:
        return [m for m in mailbox.messages if m["To"].lower() == address]

    await wait_until(lambda: len(received()) >= count, within=30)
    return body_text(received()[count - 1])


def link_to(text: str, path_start: str) -> str:
    return next(link for link in links_in(text) if urlsplit(link).path.startswith(path_start))


def path_and_query(link: str) -> str:
    parts = urlsplit(link)
    return parts.path + (f"?{parts.query}" if parts.query else "")


async def test_no_token_or_address_in_the_logs_of_a_journey(
    server: Server, worker: WorkerProcess, mailbox: Mailbox
) -> None:
    secrets_seen: list[str] = []
    async with Client(base_url=server.url) as client:
        # register and verify
        response = await client.submit(
            "/konto/registrieren",
            {
                "email": ADDRESS,
                "display_name": "Erika",
                "password": PASSWORD,
                "password_repeat": PASSWORD,
                "consent": "on",
            },
        )
        assert response.status_code == 303, response.text[:300]
        verify = link_to(await mail_to(mailbox, ADDRESS, 1), "/konto/bestaetigen")
        secrets_seen.append(re.search(r"token=([^&]+)", verify)[1])
        assert (await client.get(path_and_query(verify))).status_code == 303

        # forgotten password: request, open the link, set a new one
        client.cookies.clear()
        forgot = await client.submit("/konto/passwort-vergessen", {"email": ADDRESS})
        assert forgot.status_code == 303
        reset = link_to(await mail_to(mailbox, ADDRESS, 2), "/konto/passwort-neu")
        reset_token = re.search(r"token=([^&]+)", reset)[1]
        secrets_seen.append(reset_token)
        assert (await client.get(path_and_query(reset))).status_code == 200
        changed = await client.submit(
            "/konto/passwort-neu",
            {"token": reset_token, "password": NEW_PASSWORD, "password_repeat": NEW_PASSWORD},
        )
        assert changed.status_code == 303, changed.text[:300]

        # sign in, book a date and subscribe to the calendar feed
        logged_in = await client.submit(
            "/konto/anmelden", {"email": ADDRESS, "password": NEW_PASSWORD}
        )
        assert logged_in.status_code == 303, logged_in.text[:300]
        opportunity = await make_opportunity(await make_organisation())
        date = await make_session(opportunity)
        booked = await client.submit(f"/termine/{date.id}/anmelden")
        assert booked.status_code == 303
        my_dates = (await client.get("/meine-termine")).text
        feed = re.search(r'value="(http[^"]+\.ics)"', my_dates)[1]
        secrets_seen.append(urlsplit(feed).path.removeprefix("/kalender/").removesuffix(".ics"))
        calendar = await client.get(path_and_query(feed))
        assert calendar.status_code == 200
        assert "BEGIN:VCALENDAR" in calendar.text

        # a past date's survey: the worker invites, the link opens and takes the answer
        attendee = await make_user(email="Ole.Hansen@example.net")
        past = await make_session(opportunity, starts_in=-dt.timedelta(days=1))
        await SignUp(session=past.id, user=attendee.id, status=SignUpStatus.CONFIRMED.value).save()
        await enqueue("send_due_surveys")
        survey = link_to(await mail_to(mailbox, attendee.email, 1), "/umfrage/")
        secrets_seen.append(urlsplit(survey).path.removeprefix("/umfrage/"))
        survey_client = Client(base_url=server.url)
        async with survey_client:
            assert (await survey_client.get(path_and_query(survey))).status_code == 200
            plan = await opportunity_plan(opportunity.id)  # the one the link just opened
            for page in plan.pages:
                answered = await survey_client.submit(
                    path_and_query(survey), answer_form(plan, page.number)
                )
                assert answered.status_code == 303, answered.text[:300]
            assert urlsplit(answered.headers["location"]).path == "/umfrage/danke"
        stored = await Response.objects().first()
        assert stored is not None and stored.completed
        assert stored.version == plan.version_id
        assert await Answer.count().where(Answer.response == stored.id) == len(plan.questions)

    worker.terminate()
    logs = server.log() + worker.log()
    assert len(secrets_seen) == 4 and all(len(s) >= 20 for s in secrets_seen)
    for secret in secrets_seen:
        assert secret not in logs
    for address in (ADDRESS, attendee.email, "example.org", "example.net"):
        assert address.lower() not in logs.lower()
    # The registration job carries the password's hash to the worker; arq logs its arguments.
    assert "complete_registration(" in logs and "$argon2" not in logs
    # The requests are still there, with their keys replaced.
    assert '"GET /konto/bestaetigen?token=[redacted] HTTP/1.1" 303' in logs
    assert '"GET /konto/passwort-neu?token=[redacted] HTTP/1.1" 200' in logs
    assert '"GET /kalender/[redacted] HTTP/1.1" 200' in logs
    assert '"GET /umfrage/[redacted] HTTP/1.1" 200' in logs
    assert '"POST /umfrage/[redacted] HTTP/1.1" 303' in logs
    assert "send_due_surveys" in worker.log()


# Text path parameters that name a public thing, not a key (legal pages and assessments by
# slug; a co-production mode of the inventory, one of our four constants; the name of an
# admin-kept list: skills, fields of action, languages; the content hash in a logo's address).
# `path`: the not-found page of the OpenAPI router (/api/v1/{path}), which holds no key.
PUBLIC_TEXT_PARAMETERS = {"slug", "mode", "list_name", "version", "path"}


def test_every_route_with_a_secret_text_parameter_is_redacted_even_for_a_short_key(app) -> None:
    """A route whose path carries a text parameter is a key (survey, calendar feed) unless
    it is listed as public: its value is redacted however short or plain it is, not only
    when it looks random. A new route with a key in its path fails here until it is added
    to `SECRET_PATH_PREFIXES`."""
    parameter = re.compile(r"\{([a-z_]+):str\}")
    secret_routes = [
        route.path
        for route in app.routes
        if set(parameter.findall(route.path)) - PUBLIC_TEXT_PARAMETERS
    ]
    assert len(secret_routes) >= 2  # /umfrage/{token}, /kalender/{filename}
    for path in secret_routes:
        # Public parameters (an assessment's slug, printed on posters) stay; keys do not.
        logged = redact(
            parameter.sub(lambda m: "poster" if m[1] in PUBLIC_TEXT_PARAMETERS else "abc", path)
        )
        assert "abc" not in logged, path
        assert "[redacted]" in logged


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "GET /konto/passwort-neu?token=abc&lang=en",
            "GET /konto/passwort-neu?token=[redacted]&lang=en",
        ),
        ("GET /x?T=abc", "GET /x?T=[redacted]"),
        ("GET /x?code=12", "GET /x?code=[redacted]"),
        ("GET /umfrage/danke", "GET /umfrage/danke"),
        ("GET /kalender/abc.ics", "GET /kalender/[redacted]"),
        ("POST /anmeldung/abc/absagen", "POST /anmeldung/[redacted]/absagen"),
        ("POST /einchecken/anmeldung/abc", "POST /einchecken/anmeldung/[redacted]"),
        ("GET /einchecken/K7QX2M", "GET /einchecken/[redacted]"),
        ("GET /gast/bestaetigen/abc", "GET /gast/bestaetigen/[redacted]"),
        ("GET /nachweis-pruefen/AB12-CD34", "GET /nachweis-pruefen/[redacted]"),
        (
            "GET /konto/anmelden?next=%2Fumfrage%2Fabc",
            "GET /konto/anmelden?next=%2Fumfrage%2F[redacted]",
        ),
        ("GET /neu/" + "Ab3_" * 8, "GET /neu/[redacted]"),
        ("to a.b+c@example.org refused", "to [email] refused"),
        ("GET /x?email=a.b%40example.org", "GET /x?email=[email]"),
        # plain words, dates and route names stay readable
        ("POST /admin/versand/alle-erneut-versuchen", "POST /admin/versand/alle-erneut-versuchen"),
        (
            "send_due_surveys:1732950000 at 2026-11-30 09:12:00",
            "send_due_surveys:1732950000 at 2026-11-30 09:12:00",
        ),
    ],
)
def test_redact(line: str, expected: str) -> None:
    assert redact(line) == expected


def test_the_filter_keeps_the_shape_of_uvicorns_access_record() -> None:
    token = secrets.token_urlsafe(32)
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", f"/umfrage/{token}", "1.1", 200),
        None,
    )
    error = ValueError(f"no mail to a@example.org with {token}")
    failed = logging.LogRecord("arq", logging.ERROR, __file__, 1, "failed: %s", (error,), None)
    try:
        raise error
    except ValueError:
        failed.exc_info = sys.exc_info()
    assert RedactingFilter().filter(record) and RedactingFilter().filter(failed)
    assert record.args[2:] == ("/umfrage/[redacted]", "1.1", 200)
    assert record.getMessage() == '127.0.0.1:5000 - "GET /umfrage/[redacted] HTTP/1.1" 200'
    assert token not in failed.getMessage() and "a@example.org" not in failed.getMessage()
    assert token not in logging.Formatter().format(failed)


def test_application_lines_of_the_web_process_are_redacted_too() -> None:
    """Our own lines (an unhandled error names the path) go through the root handler, which
    Litestar's default logging config would replace by one without the filter."""
    program = (
        "import logging; from boerse.app import create_app; create_app(); "
        "logging.getLogger('boerse.lib.errors').error("
        "'unhandled error on GET %s for %s', '/umfrage/Geheim', 'anna@example.org')"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=60, check=True
    )
    assert "unhandled error on GET /umfrage/[redacted] for [email]" in done.stderr
    assert "Geheim" not in done.stderr and "anna" not in done.stderr
