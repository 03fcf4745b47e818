"""Check-in routes: participants check in with the date's code (QR link, typed code, or the
form on their personal sign-up page); officers print the notice with the code, tick people
off on their phone and add walk-ins."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template
from markupsafe import Markup

from boerse.accounts.guards import requires_officer
from boerse.checkin import services
from boerse.checkin.rules import access_notice, access_tick_list
from boerse.checkin.services import CheckInResult, Outcome, WalkInRefusedError
from boerse.lib.db import utcnow
from boerse.lib.flash import flash, register
from boerse.lib.formatting import number, time_short
from boerse.lib.forms import Form
from boerse.lib.i18n import DEFAULT_LOCALE, N_
from boerse.lib.i18n import gettext as _
from boerse.lib.routing import see_other
from boerse.lib.urls import site_url
from boerse.opportunities.participants import record_attendance
from boerse.opportunities.signup_links import (
    PERSONAL_ROUTE,
    remembered_tokens,
    signup_ids_of_tokens,
)
from boerse.opportunities.signup_routes import LABELS, read_attendance

register("checked_in", N_("Sie sind eingecheckt. Schön, dass Sie da sind!"))
register("ticked_off", N_("Gespeichert."))
register("walkin_added", N_("Die Person ist eingetragen und als anwesend markiert."))
register(
    "walkin_was_signed_up",
    N_("Die Person war schon angemeldet; sie ist jetzt als anwesend markiert."),
    "info",
)

MESSAGES = {
    Outcome.CHECKED_IN: N_("Sie sind eingecheckt. Schön, dass Sie da sind!"),
    Outcome.ALREADY: N_("Sie sind schon eingecheckt. Sie müssen nichts weiter tun."),
    Outcome.UNKNOWN_CODE: N_(
        "Diesen Code kennen wir nicht. Bitte prüfen Sie ihn: sechs Zeichen, "
        "Buchstaben und Ziffern ohne 0, O, 1 und I."
    ),
    Outcome.OTHER_DATE: N_(
        "Dieser Code gehört zu einem anderen Termin als Ihre Anmeldung. Bitte nehmen Sie den "
        "Code, der am Ort Ihres Termins aushängt."
    ),
    Outcome.TOO_EARLY: N_(
        "Einchecken ist erst ab {time} möglich, eine Stunde vor Beginn. Bitte versuchen Sie es "
        "dann noch einmal."
    ),
    Outcome.TOO_LATE: N_(
        "Der Termin ist vorbei; Einchecken ist nicht mehr möglich. Waren Sie da, sagen Sie es "
        "bitte der Ansprechperson des Angebots: Sie kann Sie nachträglich eintragen."
    ),
    Outcome.NOT_SIGNED_UP: N_(
        "Für diesen Termin finden wir keine Anmeldung von Ihnen. Bitte sprechen Sie die "
        "Ansprechperson vor Ort an: Sie kann Sie eintragen."
    ),
    Outcome.WAITLISTED: N_(
        "Sie stehen für diesen Termin auf der Warteliste und haben noch keinen Platz. Bitte "
        "sprechen Sie die Ansprechperson vor Ort an."
    ),
    Outcome.CANCELLED: N_(
        "Ihre Anmeldung für diesen Termin ist abgesagt. Bitte sprechen Sie die Ansprechperson "
        "vor Ort an, wenn Sie trotzdem mitmachen möchten."
    ),
    Outcome.NOBODY: N_(
        "Wir wissen noch nicht, wer Sie sind. Melden Sie sich an, oder öffnen Sie den Link "
        "„Meine Anmeldung“ aus Ihrer Bestätigungs-E-Mail auf diesem Gerät; danach scannen Sie "
        "den Code noch einmal."
    ),
}

WALKIN_REFUSALS = {
    "walkin_too_early": N_(
        "Personen ohne Anmeldung können ab einer Stunde vor Beginn eingetragen werden. "
        "Vorher melden Sie die Person bitte auf der Liste der Teilnehmenden an."
    ),
}


def _message(result: CheckInResult) -> str:
    text = _(MESSAGES[result.outcome])
    if result.outcome == Outcome.TOO_EARLY and result.session:
        opens = services.window(result.session["starts_at"], result.session["ends_at"])[0]
        text = text.format(time=time_short(opens))
    return text


def _status(result: CheckInResult) -> int:
    if result.ok or result.outcome == Outcome.NOBODY:
        return 200
    return 404 if result.outcome == Outcome.UNKNOWN_CODE else 400


def _result_page(request: Request, result: CheckInResult, code: str, **extra: Any) -> Template:
    login = request.app.route_reverse("accounts:login")
    scan = request.app.route_reverse("checkin:scan", code=code) if code else ""
    context = {
        "result": result,
        "message": _message(result),
        "session": result.session,
        "login_url": f"{login}?{urlencode({'next': scan})}" if scan else login,
        "form": Form(values={"code": code}),
        **extra,
    }
    return Template("checkin/result.html", context=context, status_code=_status(result))


async def _identified(request: Request) -> tuple[int | None, list[int]]:
    """The login and the sign-ups of the personal links this browser remembers."""
    user_id = request.user.id if request.user else None
    return user_id, await signup_ids_of_tokens(remembered_tokens(request))


def _qr_markup(url: str) -> Markup:
    """The QR code as inline SVG markup (no style attribute: the CSP forbids inline style)."""
    import segno

    svg = segno.make(url, error="m").svg_inline(
        scale=1,
        border=4,
        omitsize=True,
        svgclass="checkin-notice__qr",
        title=_("QR-Code zum Einchecken"),
    )
    # segno writes only path data and our own title: nothing typed by anyone ends up in it.
    return Markup(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S704


class CheckInController(Controller):
    """What a participant does at the place."""

    @get("/einchecken", name="checkin:enter")
    async def enter(self) -> Template:
        return Template("checkin/enter.html", context={"form": Form()})

    @post("/einchecken", name="checkin:submit")
    async def submit(self, request: Request) -> Template:
        form = await Form.from_request(request)
        code = services.normalise_code(form.text("code", required=True, max_length=40))
        if form.ok and not services.looks_like_code(code):
            form.errors["code"] = _(MESSAGES[Outcome.UNKNOWN_CODE])
        if not form.ok:
            return Template("checkin/enter.html", context={"form": form}, status_code=400)
        user_id, signup_ids = await _identified(request)
        result = await services.check_in(code, user_id, signup_ids)
        return _result_page(request, result, code)

    @get("/einchecken/{code:str}", name="checkin:scan")
    async def scan(self, request: Request, code: FromPath[str]) -> Template:
        """The QR code's link: opening it is the check-in (a repeated one changes nothing;
        only the person identified by login or remembered link is ever checked in)."""
        user_id, signup_ids = await _identified(request)
        result = await services.check_in(code, user_id, signup_ids)
        return _result_page(request, result, services.normalise_code(code)[:12])

    @post("/einchecken/anmeldung/{token:str}", name="checkin:by_link")
    async def by_link(self, request: Request, token: FromPath[str]) -> Template | Redirect:
        """The code form on the personal sign-up page: the token in the address identifies
        the sign-up, so it works in a browser without any cookie of ours."""
        found = await signup_ids_of_tokens([token])
        if not found:
            raise NotFoundException()
        signup_id = found[0]
        form = await Form.from_request(request)
        code = services.normalise_code(form.text("code", required=True, max_length=40))
        result = (
            await services.check_in_signup(signup_id, code)
            if form.ok
            else CheckInResult(Outcome.UNKNOWN_CODE)
        )
        if result.ok:
            return flash(see_other(request, PERSONAL_ROUTE, token=token), "checked_in")
        back = request.app.route_reverse(PERSONAL_ROUTE, token=token)
        return _result_page(request, result, code, token=token, back_url=back)


def _tick_values(data: dict[str, Any]) -> dict[str, str]:
    """Each person's hours as stored, else the date's length as the suggestion."""
    suggestion = number(data["session"]["suggested_hours"], 2)
    return {
        f"hours-{row['id']}": number(row["hours"], 2) if row["hours"] is not None else suggestion
        for row in data["participants"]
    }


class OfficerCheckInController(Controller):
    """The officer's side at the place: the notice to print, the tick list, walk-ins."""

    path = "/verwaltung/termine/{session_id:int}"
    guards = (requires_officer,)

    def _list(self, data: dict[str, Any], form: Form, walkin: Form, status: int = 200) -> Template:
        session = data["session"]
        opens = services.window(session["starts_at"], session["ends_at"])[0]
        context = {
            **data,
            **LABELS,
            "form": form,
            "walkin": walkin,
            "is_open": check_in_open(session),
            "opens_at": opens,
        }
        return Template("checkin/list.html", context=context, status_code=status)

    @get("/aushang", name="checkin:poster")
    async def poster(self, request: Request, session_id: FromPath[int]) -> Template:
        session = await access_notice(request.user, session_id)
        code = await services.ensure_code(session_id)
        url = site_url("checkin:scan", code=code)
        context = {
            "session": session,
            "code": code,
            "url": url,
            "enter_url": site_url("checkin:enter"),
            "qr": _qr_markup(url),
        }
        return Template("checkin/poster.html", context=context)

    @get("/einchecken", name="checkin:list")
    async def tick_list(self, request: Request, session_id: FromPath[int]) -> Template:
        data = await access_tick_list(request.user, session_id)
        return self._list(data, Form(values=_tick_values(data)), Form())

    @post("/einchecken", name="checkin:mark")
    async def mark(self, request: Request, session_id: FromPath[int]) -> Template | Redirect:
        """One person's "anwesend" / "nicht da" with their hours (the same field names as the
        participant page's form, read and saved by the same functions)."""
        data = await access_tick_list(request.user, session_id)
        form = await Form.from_request(request)
        for row in data["participants"]:
            # "nicht da" is pressed beside the suggested hours: they are not meant.
            if form.values.get(f"attendance-{row['id']}") == "absent":
                form.values.pop(f"hours-{row['id']}", None)
        entries = read_attendance(form, data["participants"], data["session"]["hours_limit"])
        if not entries:
            form.errors["attendance"] = _(
                "Es sind keine Angaben zur Anwesenheit angekommen; gespeichert wurde nichts."
            )
        elif not check_in_open(data["session"]):
            form.errors["attendance"] = _(
                "Anwesenheit kann ab einer Stunde vor Beginn des Termins erfasst werden."
            )
        if not form.ok:
            values = {**_tick_values(data), **form.values}
            return self._list(data, Form(values=values, errors=form.errors), Form(), 400)
        await record_attendance(session_id, entries)
        [signup_id] = list(entries)[:1]
        return flash(
            see_other(request, "checkin:list", fragment=f"p-{signup_id}", session_id=session_id),
            "ticked_off",
        )

    @post("/einchecken/ohne-anmeldung", name="checkin:walkin")
    async def walkin(self, request: Request, session_id: FromPath[int]) -> Template | Redirect:
        data = await access_tick_list(request.user, session_id)
        walkin = await Form.from_request(request)
        name = walkin.text("name", required=True, max_length=100)
        email = walkin.email("email")
        walkin.labels = {"name": N_("Name"), "email": N_("E-Mail-Adresse")}
        tick = Form(values=_tick_values(data))
        if not walkin.ok:
            return self._list(data, tick, walkin, 400)
        try:
            added = await services.add_walk_in(session_id, email, name, DEFAULT_LOCALE)
        except WalkInRefusedError as refusal:
            walkin.errors["name"] = _(WALKIN_REFUSALS[refusal.reason])
            return self._list(data, tick, walkin, 400)
        key = "walkin_was_signed_up" if added.was_signed_up else "walkin_added"
        return flash(
            see_other(
                request, "checkin:list", fragment=f"p-{added.signup_id}", session_id=session_id
            ),
            key,
        )


def check_in_open(session: dict[str, Any]) -> bool:
    """Whether the date's check-in has opened: an officer may tick people off from then on,
    late arrivals any time afterwards."""
    return utcnow() >= services.window(session["starts_at"], session["ends_at"])[0]


CONTROLLERS = [CheckInController, OfficerCheckInController]
