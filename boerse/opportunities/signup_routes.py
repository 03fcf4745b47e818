"""Sign-up routes: residents sign up and cancel, see "Meine Termine" and their calendar feed;
officers see and manage the participants of a session."""

from __future__ import annotations

import csv
import io
import re
from typing import Any
from urllib.parse import urlencode

from litestar import Controller, HttpMethod, Request, Response, get, post, route
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from boerse.accounts.guards import requires_login, requires_officer
from boerse.audit.actions import Action
from boerse.audit.services import record_now
from boerse.guests.schemas import parse_companions
from boerse.lib.flash import flash, register
from boerse.lib.formatting import local, number
from boerse.lib.forms import Form
from boerse.lib.i18n import DEFAULT_LOCALE, N_
from boerse.lib.i18n import gettext as _
from boerse.lib.routing import see_other
from boerse.opportunities import signups
from boerse.opportunities.calendar import date_ics, feed_for_token, my_dates, place_text
from boerse.opportunities.participants import (
    add_participant,
    cancel_participant,
    confirm_participant,
    record_attendance,
)
from boerse.opportunities.rules import access_managed_session, access_participant_list
from boerse.opportunities.signups import WAITLISTED, SessionNotFoundError, SignUpRefusedError
from boerse.opportunities.tables import Attendance, SignUpStatus

register("signup_registered", N_("Sie sind angemeldet. Die Bestätigung kommt per E-Mail."))
register(
    "signup_waitlisted",
    N_(
        "Alle Plätze sind belegt: Sie stehen auf der Warteliste. Wird ein Platz frei, "
        "rücken Sie automatisch nach und bekommen eine E-Mail."
    ),
    "info",
)
register("signup_already", N_("Sie sind für diesen Termin schon angemeldet."), "info")
register(
    signups.TOO_MANY_COMPANIONS,
    N_("So viele weitere Personen sind bei diesem Angebot nicht möglich."),
    "warning",
)
register("signup_closed", N_("Für diesen Termin ist keine Anmeldung mehr möglich."), "warning")
register(
    "signup_too_young",
    N_("Für dieses Angebot gilt ein Mindestalter, das Sie laut Ihrem Profil noch nicht haben."),
    "warning",
)
register(
    signups.UNVERIFIED,
    N_(
        "Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse, dann können Sie sich anmelden. "
        "Nach dem Bestätigen kommen Sie zu diesem Termin zurück."
    ),
    "warning",
)
register("signup_cancelled", N_("Sie haben sich von dem Termin abgemeldet."))
register(
    "cancel_closed",
    N_("Der Termin hat schon begonnen; eine Absage ist nicht mehr möglich."),
    "warning",
)
register("participant_confirmed", N_("Die Teilnahme ist bestätigt."))
register("participant_cancelled", N_("Die Anmeldung ist abgesagt; die Person wurde informiert."))
register("attendance_saved", N_("Anwesenheit und Stunden sind gespeichert."))
register(
    "participant_added",
    N_("Die Person ist angemeldet und bekommt die Bestätigung per E-Mail."),
)
register(
    "participant_added_waiting",
    N_("Alle Plätze sind belegt: Die Person steht auf der Warteliste und bekommt eine E-Mail."),
    "info",
)

ADD_REFUSALS = {
    "add_closed": N_(
        "Der Termin hat schon begonnen. Wer ohne Anmeldung gekommen ist, tragen Sie bitte "
        "beim Einchecken vor Ort ein."
    ),
    "add_unpublished": N_(
        "Das Angebot ist nicht veröffentlicht; Anmeldungen sind erst danach möglich."
    ),
    "signup_too_young": N_(
        "Für dieses Angebot gilt ein Mindestalter, das die Person laut ihrem Profil noch nicht hat."
    ),
    "other": N_(
        "Die Person erfüllt eine Voraussetzung dieses Angebots noch nicht; angemeldet wurde sie "
        "nicht."
    ),
}

SIGNUP_STATUS_LABELS = {
    SignUpStatus.REGISTERED.value: N_("Angemeldet"),
    SignUpStatus.CONFIRMED.value: N_("Bestätigt"),
    SignUpStatus.WAITLISTED.value: N_("Warteliste"),
    SignUpStatus.CANCELLED.value: N_("Abgesagt"),
}
ATTENDANCE_LABELS = {
    Attendance.ATTENDED.value: N_("Teilgenommen"),
    Attendance.ABSENT.value: N_("Nicht erschienen"),
}
LABELS = {"status_labels": SIGNUP_STATUS_LABELS, "attendance_labels": ATTENDANCE_LABELS}


def _safe_next(value: str, fallback: str) -> str:
    """Only paths on this site, never `//host` or a full URL (no open redirect)."""
    if value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return fallback


def _detail_url(request: Request, opportunity_id: int | None, session_id: int) -> str:
    """The date on its offer's page; "Meine Termine" when the offer is gone."""
    if not opportunity_id:
        return request.app.route_reverse("signups:my_dates")
    detail = request.app.route_reverse("opportunities:detail", opportunity_id=opportunity_id)
    return f"{detail}#termin-{session_id}"


def _calendar_file(text: str, disposition: str, filename: str) -> Response:
    """`text/calendar`: Litestar adds the charset itself (naming it here printed it twice)."""
    return Response(
        text,
        media_type="text/calendar",
        headers={
            "Content-Disposition": f'{disposition}; filename="{filename}"',
            "Cache-Control": "private, max-age=900",
            "X-Robots-Tag": "noindex",
        },
    )


class SignUpController(Controller):
    """What a resident does with a session."""

    @get("/termine/{session_id:int}/anmelden", name="signups:after_login")
    async def back_to_offer(self, request: Request, session_id: FromPath[int]) -> Redirect:
        """After logging in the browser comes back here with GET: show the offer again."""
        row = await signups.session_details(session_id)
        if row is None:
            raise NotFoundException()
        return Redirect(_detail_url(request, row["opportunity_id"], session_id), status_code=303)

    @post("/termine/{session_id:int}/anmelden", name="signups:sign_up", guards=[requires_login])
    async def sign_up(self, request: Request, session_id: FromPath[int]) -> Template | Redirect:
        """One click signs up; "ich komme mit N weiteren Personen" comes with it when the
        offer allows companions. Too many is a 400 page with the form, nothing saved."""
        form = await Form.from_request(request)
        row = await signups.session_details(session_id)
        if row is None:
            raise NotFoundException()
        companions = parse_companions(form, row["max_companions"] or 0)
        if not form.ok:
            row["place"] = place_text(row)
            context = {"row": row, "form": form}
            return Template(
                template_name="guests/group_signup.html", context=context, status_code=400
            )
        try:
            outcome = await signups.sign_up(request.user.id, session_id, companions)
        except SessionNotFoundError as error:
            raise NotFoundException() from error
        except SignUpRefusedError as refusal:
            target = _detail_url(request, refusal.opportunity_id, session_id)
            if refusal.reason == signups.UNVERIFIED:
                # The confirmation link brings the person back to this date afterwards.
                confirm = request.app.route_reverse("accounts:resend")
                target = f"{confirm}?{urlencode({'next': target})}"
            return flash(Redirect(target, status_code=303), refusal.reason)
        if not outcome.changed:
            key = "signup_already"
        elif outcome.status == SignUpStatus.WAITLISTED.value:
            key = "signup_waitlisted"
        else:
            key = "signup_registered"
        redirect = Redirect(
            _detail_url(request, outcome.opportunity_id, session_id), status_code=303
        )
        return flash(redirect, key)

    @post("/termine/{session_id:int}/abmelden", name="signups:cancel", guards=[requires_login])
    async def cancel(self, request: Request, session_id: FromPath[int]) -> Redirect:
        form = await Form.from_request(request)
        try:
            row = await signups.cancel(request.user.id, session_id)
        except SessionNotFoundError as error:
            raise NotFoundException() from error
        except SignUpRefusedError as refusal:
            target = _safe_next(
                form.text("next"), _detail_url(request, refusal.opportunity_id, session_id)
            )
            return flash(Redirect(target, status_code=303), refusal.reason)
        target = _safe_next(
            form.text("next"), _detail_url(request, row["opportunity_id"], session_id)
        )
        return flash(Redirect(target, status_code=303), "signup_cancelled")

    @get("/meine-termine", name="signups:my_dates", guards=[requires_login])
    async def my_dates(self, request: Request) -> Template:
        dates = await my_dates(request.user.id)
        return Template(
            template_name="opportunities/my_dates.html", context={"dates": dates, **LABELS}
        )

    @route(
        "/kalender/{filename:str}",
        http_method=[HttpMethod.GET, HttpMethod.HEAD],
        name="signups:feed",
    )
    async def feed(self, filename: FromPath[str]) -> Response:
        """The private iCalendar feed; the random token in the address is the only key.
        Calendar programs check a subscription with HEAD before they fetch it."""
        if not filename.endswith(".ics"):
            raise NotFoundException()
        text = await feed_for_token(filename.removesuffix(".ics"))
        if text is None:
            raise NotFoundException()
        return _calendar_file(text, "inline", "mitmach-boerse.ics")

    @route(
        "/termine/{session_id:int}/kalender.ics",
        http_method=[HttpMethod.GET, HttpMethod.HEAD],
        name="signups:date_ics",
    )
    async def date_file(self, request: Request, session_id: FromPath[int]) -> Response:
        """ "In meinen Kalender": one date to import, the viewer's own entry when signed up."""
        text = await date_ics(session_id, request.user.id if request.user else None)
        if text is None:
            raise NotFoundException()
        return _calendar_file(text, "attachment", f"termin-{session_id}.ics")


# ---------------------------------------------------------------- officers


def _attendance_values(participants: list[dict[str, Any]]) -> dict[str, str]:
    """The attendance form as stored, for the first display."""
    values: dict[str, str] = {}
    for row in participants:
        values[f"attendance-{row['id']}"] = row["attendance"] or ""
        values[f"hours-{row['id']}"] = number(row["hours"], 2) if row["hours"] is not None else ""
    return values


def read_attendance(
    form: Form, participants: list[dict[str, Any]], limit: float = 24
) -> dict[int, tuple[str | None, float | None]]:
    """Attendance and hours per participant; every problem becomes a message naming the person.

    `limit` is the date's length (`participants.hours_limit`): nobody is engaged longer at
    one date. Only people whose fields were sent are in the result: a form from before
    someone signed up, or an empty one, leaves what is stored for the others untouched."""
    entries: dict[int, tuple[str | None, float | None]] = {}
    for row in participants:
        attendance_field, hours_field = f"attendance-{row['id']}", f"hours-{row['id']}"
        if attendance_field not in form.values and hours_field not in form.values:
            continue
        attendance = form.choice(attendance_field, set(ATTENDANCE_LABELS), required=False)
        hours = form.decimal(hours_field, minimum=-1e6, maximum=1e6)
        if hours is not None and hours < 0:
            form.errors[hours_field] = _("Stunden können nicht negativ sein.")
        elif hours is not None and hours > limit:
            form.errors[hours_field] = _(
                "Höchstens {hours} Stunden: So lange dauert der Termin."
            ).format(hours=number(limit, 2))
        if attendance == Attendance.ABSENT.value and hours:
            form.errors[hours_field] = _("Bei „Nicht erschienen“ bitte keine Stunden eintragen.")
        entries[row["id"]] = (attendance or None, hours)
        for name in (attendance_field, hours_field):
            if name in form.errors:
                form.errors[name] = f"{row['name'] or row['email']}: {form.errors[name]}"
    return entries


def _csv_cell(value: Any) -> str:
    """Neutralise spreadsheet formulas ('=', '+', '-', '@') typed into names."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text


CSV_HEADER = (
    N_("Name"),
    N_("E-Mail"),
    N_("Status"),
    N_("Wartelistenplatz"),
    N_("Anwesenheit"),
    N_("Stunden"),
    N_("Angemeldet am"),
    N_("Begleitpersonen"),
    N_("Eingecheckt"),
    N_("Barrierefreiheit"),
)


def _label(labels: dict[str, str], key: str) -> str:
    """Translates a label looked up by key (a variable, so the extractor reads no msgid here)."""
    return _(labels[key])


def participants_csv(data: dict[str, Any]) -> str:
    """UTF-8 with BOM, semicolons and decimal commas: what German Excel opens as is."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([_(title) for title in CSV_HEADER])
    rows = [(row, "") for row in data["participants"]]
    rows += [(row, str(position)) for position, row in enumerate(data["waitlist"], start=1)]
    for row, position in rows:
        writer.writerow(
            [
                _csv_cell(row["name"]),
                _csv_cell(row["email"]),
                _label(SIGNUP_STATUS_LABELS, row["status"]),
                position,
                _label(ATTENDANCE_LABELS, row["attendance"]) if row["attendance"] else "",
                number(row["hours"], 2) if row["hours"] is not None else "",
                local(row["signed_up_at"]).strftime("%d.%m.%Y %H:%M"),
                row["companions"] or "",
                local(row["checked_in_at"]).strftime("%d.%m.%Y %H:%M")
                if row["checked_in_at"]
                else "",
                ", ".join(_(label) for label in row["needs"]),
            ]
        )
    return "\ufeff" + buffer.getvalue()


def _csv_filename(session: dict[str, Any]) -> str:
    title = session["title"].lower()
    for umlaut, plain in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        title = title.replace(umlaut, plain)
    slug = re.sub(r"[^a-z0-9]+", "-", title).strip("-")[:40] or "termin"
    return f"teilnehmende-{local(session['starts_at']):%Y-%m-%d}-{slug}.csv"


class ParticipantsController(Controller):
    """The officer's view of one session: who comes, who waits, who was there."""

    path = "/verwaltung/termine/{session_id:int}"
    guards = (requires_officer,)

    def _page(
        self,
        data: dict[str, Any],
        form: Form,
        status_code: int = 200,
        add_form: Form | None = None,
    ) -> Template:
        context = {**data, "form": form, "add_form": add_form or Form(), **LABELS}
        return Template(
            template_name="opportunities/participants.html",
            context=context,
            status_code=status_code,
        )

    @get("/teilnehmende", name="signups:participants")
    async def participants(self, request: Request, session_id: FromPath[int]) -> Template:
        data = await access_participant_list(request.user, session_id)
        return self._page(data, Form(values=_attendance_values(data["participants"])))

    @get("/teilnehmende.csv", name="signups:participants_csv")
    async def participants_csv(self, request: Request, session_id: FromPath[int]) -> Response:
        data = await access_participant_list(request.user, session_id)
        await record_now(Action.PARTICIPANTS_EXPORTED, session_id, count=len(data["participants"]))
        return Response(
            participants_csv(data),
            media_type="text/csv; charset=utf-8",
            headers={
                "Content-Disposition": f'attachment; filename="{_csv_filename(data["session"])}"',
                "Cache-Control": "no-store",
            },
        )

    @post("/teilnehmende", name="signups:attendance")
    async def attendance(self, request: Request, session_id: FromPath[int]) -> Template | Redirect:
        data = await access_participant_list(request.user, session_id)
        form = await Form.from_request(request)
        entries = read_attendance(form, data["participants"], data["session"]["hours_limit"])
        if not entries:
            form.errors["attendance"] = _(
                "Es sind keine Angaben zur Anwesenheit angekommen; gespeichert wurde nichts."
            )
        if not data["session"]["has_started"]:
            form.errors["attendance"] = _(
                "Anwesenheit und Stunden können erst ab Beginn des Termins erfasst werden."
            )
        if not form.ok:
            return self._page(data, form, status_code=400)
        await record_attendance(session_id, entries)
        return flash(
            see_other(request, "signups:participants", session_id=session_id), "attendance_saved"
        )

    @post("/teilnehmende/hinzufuegen", name="signups:add_participant")
    async def add(self, request: Request, session_id: FromPath[int]) -> Template | Redirect:
        """The officer signs someone up by hand (name and address) before the date begins."""
        data = await access_participant_list(request.user, session_id)
        add_form = await Form.from_request(request)
        name = add_form.text("name", required=True, max_length=100)
        email = add_form.email("email")
        add_form.labels = {"name": N_("Name"), "email": N_("E-Mail-Adresse")}
        form = Form(values=_attendance_values(data["participants"]))
        if add_form.ok and data["session"]["has_started"]:
            add_form.errors["name"] = _label(ADD_REFUSALS, "add_closed")
        if not add_form.ok:
            return self._page(data, form, 400, add_form)
        try:
            added = await add_participant(session_id, email, name, DEFAULT_LOCALE)
        except SignUpRefusedError as refusal:
            add_form.errors["name"] = _(ADD_REFUSALS.get(refusal.reason, ADD_REFUSALS["other"]))
            return self._page(data, form, 400, add_form)
        if not added.changed:
            add_form.errors["email"] = _(
                "Diese Person ist für den Termin schon angemeldet oder steht auf der Warteliste."
            )
            return self._page(data, form, 400, add_form)
        key = "participant_added_waiting" if added.status == WAITLISTED else "participant_added"
        return flash(see_other(request, "signups:participants", session_id=session_id), key)

    @post("/teilnehmende/{signup_id:int}/bestaetigen", name="signups:confirm")
    async def confirm(
        self, request: Request, session_id: FromPath[int], signup_id: FromPath[int]
    ) -> Redirect:
        await access_managed_session(request.user, session_id)
        redirect = see_other(request, "signups:participants", session_id=session_id)
        if not await confirm_participant(session_id, signup_id):
            return redirect  # already confirmed or no longer there
        return flash(redirect, "participant_confirmed")

    @post("/teilnehmende/{signup_id:int}/absagen", name="signups:cancel_participant")
    async def cancel(
        self, request: Request, session_id: FromPath[int], signup_id: FromPath[int]
    ) -> Redirect:
        await access_managed_session(request.user, session_id)
        redirect = see_other(request, "signups:participants", session_id=session_id)
        try:
            cancelled = await cancel_participant(session_id, signup_id)
        except SignUpRefusedError as refusal:
            return flash(redirect, refusal.reason)
        if not cancelled:
            return redirect  # already cancelled (a repeated click)
        return flash(redirect, "participant_cancelled")


CONTROLLERS = [SignUpController, ParticipantsController]
