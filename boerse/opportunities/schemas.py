"""Input of the opportunity forms and of the public filters, converted and checked here.

Every problem becomes a message for the person who typed it; nothing reaches a service
unless the whole input is valid."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from boerse.goals.schemas import parse_goal_ids
from boerse.lib import geo
from boerse.lib.formatting import TOWN_TIMEZONE
from boerse.lib.forms import Form, postcode_problem
from boerse.lib.i18n import N_
from boerse.lib.i18n import gettext as _
from boerse.opportunities.labels import MODE_LABELS, SORT_LABELS
from boerse.profiles.accessibility import ACCESSIBILITY_SLUGS
from boerse.profiles.taxonomy import Taxonomy, snapshot

MAX_CAPACITY = 500
MAX_RADIUS_KM = 200
MAX_REACH_KM = MAX_RADIUS_KM
MAX_HOURS_PER_MONTH = 200
PAST_SESSION_LIMIT = dt.timedelta(days=366)
MAX_SEARCH_TEXT = 100
MAX_COMPANIONS = 20
NEW_OPPORTUNITY_VALUES = {"max_companions": "0", "remind_day_before": "on"}
"""What a new offer's form starts with: the reminder the day before, as before there was a
choice; no companions unless the officer allows them."""


@dataclass(frozen=True)
class OpportunityInput:
    """A valid opportunity as typed; slugs are resolved to ids by the service."""

    title: str
    summary: str
    description: str
    mode: str
    field_slug: str
    outcome_goal: str
    is_online: bool
    address: str
    postcode: str
    required_skills: list[str]
    desired_skills: list[str]
    languages: list[str]
    accessibility: str
    min_age: int | None
    reach_km: int | None
    hours_per_month: int | None
    contact_name: str
    contact_email: str
    contact_phone: str
    organisation_id: int | None
    goal_ids: tuple[int, ...] = ()
    max_companions: int = 0
    """How many further people one sign-up may bring (0: each person signs up alone)."""
    accessibility_features: tuple[str, ...] = ()
    """Slugs of `boerse.profiles.accessibility.ACCESSIBILITY` the place and work offer."""
    remind_day_before: bool = True
    remind_two_hours: bool = False


# Labels as the forms show them, so that the error summary can name each field.
OPPORTUNITY_LABELS = {
    "title": N_("Titel"),
    "summary": N_("Kurzbeschreibung"),
    "description": N_("Beschreibung"),
    "mode": N_("Mitmach-Art"),
    "field": N_("Handlungsfeld"),
    "outcome_goal": N_("Wirkungsziel"),
    "goals": N_("Wirkungsziele"),
    "address": N_("Straße und Hausnummer"),
    "postcode": N_("Postleitzahl"),
    "required_skills": N_("Erforderliche Fähigkeiten"),
    "desired_skills": N_("Erwünschte Fähigkeiten"),
    "languages": N_("Sprachen"),
    "accessibility": N_("Hinweise zur Barrierefreiheit"),
    "min_age": N_("Mindestalter"),
    "reach_km": N_("Umkreis"),
    "hours_per_month": N_("Stunden pro Monat"),
    "contact_name": N_("Name"),
    "contact_email": N_("E-Mail-Adresse"),
    "contact_phone": N_("Telefon"),
    "organisation": N_("Organisation"),
    "max_companions": N_("Begleitpersonen"),
    "accessibility_features": N_("Barrierefreiheit"),
}
SESSION_LABELS = {
    "date": N_("Datum"),
    "starts": N_("Beginn"),
    "ends": N_("Ende"),
    "capacity": N_("Plätze"),
    "location_note": N_("Hinweis zum Treffpunkt"),
}


def parse_opportunity(
    form: Form,
    organisation_ids: set[int] | None = None,
    goal_ids: set[int] | None = None,
    taxonomy: Taxonomy | None = None,
) -> OpportunityInput | None:
    """None when something is wrong; the reasons are then in `form.errors`.

    `organisation_ids` is given only to administrators, who pick the organisation;
    `goal_ids` are the outcome goals the form offers. Fields, skills and languages are
    checked against `taxonomy` (the last reading when not given); retired entries are
    accepted, so that saving keeps what the offer already had."""
    form.labels = OPPORTUNITY_LABELS
    taxonomy = taxonomy or snapshot()
    title = form.text("title", required=True, max_length=150)
    summary = form.text("summary", required=True, max_length=300)
    # Browsers post CRLF; the detail page splits paragraphs on blank lines.
    description = form.text("description", required=True, max_length=10000).replace("\r\n", "\n")
    mode = form.choice("mode", list(MODE_LABELS))
    field_slug = form.choice("field", taxonomy.slugs("fields"))
    outcome_goal = form.text("outcome_goal", max_length=2000)
    is_online = form.checkbox("is_online")
    address = form.text("address", max_length=200)
    postcode = form.postcode()
    _check_place(form, is_online, postcode)
    skill_slugs = taxonomy.slugs("skills")
    required_skills = _slugs(form, "required_skills", skill_slugs)
    desired_skills = _slugs(form, "desired_skills", skill_slugs)
    if set(required_skills) & set(desired_skills):
        form.errors["desired_skills"] = _(
            "Eine Fähigkeit kann nicht zugleich erforderlich und erwünscht sein."
        )
    languages = _slugs(form, "languages", taxonomy.slugs("languages"))
    accessibility = form.text("accessibility", max_length=2000)
    features = _slugs(form, "accessibility_features", ACCESSIBILITY_SLUGS)
    max_companions = form.integer("max_companions", minimum=0, maximum=MAX_COMPANIONS)
    min_age = form.integer("min_age", minimum=0, maximum=99)
    reach_km = form.integer("reach_km", minimum=1, maximum=MAX_REACH_KM)
    hours_per_month = form.integer("hours_per_month", minimum=1, maximum=MAX_HOURS_PER_MONTH)
    contact_name = form.text("contact_name", required=True, max_length=100)
    contact_email = form.email("contact_email")
    contact_phone = form.text("contact_phone", max_length=50)
    organisation_id = _organisation(form, organisation_ids)
    goals = parse_goal_ids(form, "goals", goal_ids or set())
    if not form.ok or goals is None:
        return None
    return OpportunityInput(
        title=title,
        summary=summary,
        description=description,
        mode=mode,
        field_slug=field_slug,
        outcome_goal=outcome_goal,
        is_online=is_online,
        address=address,
        postcode=postcode,
        required_skills=required_skills,
        desired_skills=desired_skills,
        languages=languages,
        accessibility=accessibility,
        min_age=min_age,
        reach_km=reach_km,
        hours_per_month=hours_per_month,
        contact_name=contact_name,
        contact_email=contact_email,
        contact_phone=contact_phone,
        organisation_id=organisation_id,
        goal_ids=tuple(goals),
        max_companions=max_companions or 0,
        accessibility_features=tuple(features),
        remind_day_before=form.checkbox("remind_day_before"),
        remind_two_hours=form.checkbox("remind_two_hours"),
    )


def _check_place(form: Form, is_online: bool, postcode: str) -> None:
    """A place is needed unless the offer is online (`Form.postcode` checked a given one)."""
    if not postcode and not is_online:
        form.errors["postcode"] = _(
            "Bitte geben Sie die Postleitzahl des Ortes an oder kreuzen Sie „online“ an."
        )


def _slugs(form: Form, name: str, allowed: set[str]) -> list[str]:
    chosen = form.many(name)
    if any(item not in allowed for item in chosen):
        form.errors[name] = _("Bitte wählen Sie nur Einträge aus der Liste.")
    # Keep the order of first appearance and drop repeats a crafted request might send.
    return list(dict.fromkeys(item for item in chosen if item in allowed))


def _organisation(form: Form, organisation_ids: set[int] | None) -> int | None:
    if organisation_ids is None:
        return None
    raw = form.choice("organisation", {str(i) for i in organisation_ids})
    return int(raw) if raw.isdigit() else None


def _optional_number(value: float | None) -> str:
    return "" if value is None else str(int(value))


def opportunity_form_values(opportunity: Mapping[str, Any]) -> dict[str, Any]:
    """The edit form starts from what is stored, in the shape the form posts."""
    return {
        "title": opportunity["title"],
        "summary": opportunity["summary"],
        "description": opportunity["description"],
        "mode": opportunity["mode"],
        "field": opportunity["field_slug"],
        "outcome_goal": opportunity["outcome_goal"],
        "is_online": "on" if opportunity["is_online"] else "",
        "address": opportunity["address"],
        "postcode": opportunity["postcode"],
        "required_skills": [s["slug"] for s in opportunity["skills"] if s["required"]],
        "desired_skills": [s["slug"] for s in opportunity["skills"] if not s["required"]],
        "languages": list(opportunity["languages"]),
        "accessibility": opportunity["accessibility"],
        "min_age": _optional_number(opportunity["min_age"]),
        "reach_km": _optional_number(opportunity["reach_km"]),
        "hours_per_month": _optional_number(opportunity["hours_per_month"]),
        "contact_name": opportunity["contact_name"],
        "contact_email": opportunity["contact_email"],
        "contact_phone": opportunity["contact_phone"],
        "organisation": str(opportunity["organisation_id"]),
        "max_companions": str(opportunity["max_companions"]),
        "accessibility_features": list(opportunity["accessibility_features"]),
        "remind_day_before": "on" if opportunity["remind_day_before"] else "",
        "remind_two_hours": "on" if opportunity["remind_two_hours"] else "",
    }


@dataclass(frozen=True)
class SessionInput:
    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int
    location_note: str


def parse_session(
    form: Form, *, minimum_capacity: int = 1, now: dt.datetime | None = None
) -> SessionInput | None:
    """Local date and times (Europe/Berlin) become UTC-aware datetimes.

    `minimum_capacity` is the places already taken when editing; `now` is given when adding:
    a meeting that already took place may be entered afterwards (to record who came), but
    not one from more than a year ago."""
    form.labels = SESSION_LABELS
    day = form.date("date", required=True)
    start = form.time("starts", required=True)
    end = form.time("ends", required=True)
    capacity = form.integer("capacity", required=True, minimum=1, maximum=MAX_CAPACITY)
    if capacity is not None and capacity < minimum_capacity:
        form.errors["capacity"] = _(
            "Es sind schon {n} Plätze vergeben; die Kapazität kann nicht kleiner sein."
        ).format(n=minimum_capacity)
    location_note = form.text("location_note", max_length=200)
    if day is None or start is None or end is None:
        return None
    starts_at = dt.datetime.combine(day, start, tzinfo=TOWN_TIMEZONE).astimezone(dt.UTC)
    ends_at = dt.datetime.combine(day, end, tzinfo=TOWN_TIMEZONE).astimezone(dt.UTC)
    if ends_at <= starts_at:
        form.errors["ends"] = _("Das Ende muss nach dem Beginn liegen.")
    if now is not None and starts_at < now - PAST_SESSION_LIMIT:
        form.errors["date"] = _("Ein Termin kann höchstens ein Jahr zurückliegen.")
    if not form.ok or capacity is None:
        return None
    return SessionInput(starts_at, ends_at, capacity, location_note)


def session_form_values(session: Mapping[str, Any]) -> dict[str, str]:
    start = session["starts_at"].astimezone(TOWN_TIMEZONE)
    end = session["ends_at"].astimezone(TOWN_TIMEZONE)
    return {
        "date": start.date().isoformat(),
        "starts": start.strftime("%H:%M"),
        "ends": end.strftime("%H:%M"),
        "capacity": str(session["capacity"]),
        "location_note": session["location_note"],
    }


@dataclass
class SearchFilters:
    """The public list's filters; invalid ones are dropped and explained in `messages`."""

    text: str = ""
    """Words to find in title, summary and description (German word forms included)."""
    mode: str = ""
    field: str = ""
    skill: str = ""
    language: str = ""
    accessible: bool = False
    """Only offers that describe their accessibility."""
    needs: tuple[str, ...] = ()
    """Accessibility slugs an offer must all provide (query parameter `barrierefrei`)."""
    own_needs: tuple[str, ...] = ()
    """The signed-in resident's needs when their profile's hard filter is on (added by the
    list's handler, see `search.with_own_needs`)."""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    online_only: bool = False
    organisation_id: int | None = None
    """One organisation's offers only (its page's feeds; not a parameter of the list page)."""
    changed_since: dt.datetime | None = None
    """Offers whose own record changed (edited, published) at or after this instant (the
    API's `changed_since`, for clients that synchronise; not a parameter of the list page)."""
    postcode: str = ""
    place: geo.Place | None = None
    radius_km: int | None = None
    sort: str = "next"
    page: int = 1
    messages: list[str] = dataclasses.field(default_factory=list)

    def window(self) -> tuple[dt.datetime | None, dt.datetime | None]:
        """The date range as UTC instants: from the start of `date_from` to the end of `date_to`
        in the town's time zone."""
        start = end = None
        if self.date_from:
            start = dt.datetime.combine(self.date_from, dt.time(), tzinfo=TOWN_TIMEZONE)
        if self.date_to:
            end = dt.datetime.combine(
                self.date_to + dt.timedelta(days=1), dt.time(), tzinfo=TOWN_TIMEZONE
            )
        return start, end


FILTER_NAMES = (
    "q",
    "mode",
    "field",
    "skill",
    "language",
    "accessible",
    "barrierefrei",
    "from",
    "to",
    "online",
    "postcode",
    "km",
    "sort",
)


def parse_filters(params: Mapping[str, str], taxonomy: Taxonomy | None = None) -> SearchFilters:
    """Query parameters as typed; each bad one gets a message and is ignored, never a 400.
    A retired field, skill or language still filters (an old link keeps working)."""
    taxonomy = taxonomy or snapshot()
    filters = SearchFilters()
    messages = filters.messages
    filters.mode = _known(params.get("mode", ""), set(MODE_LABELS), messages, _("Mitmach-Art"))
    filters.field = _known(
        params.get("field", ""), taxonomy.slugs("fields"), messages, _("Handlungsfeld")
    )
    filters.skill = _known(
        params.get("skill", ""), taxonomy.slugs("skills"), messages, _("Fähigkeit")
    )
    # Control characters become spaces: PostgreSQL refuses a NUL in text (a 500 before).
    typed = "".join(c if c.isprintable() else " " for c in str(params.get("q", "")))
    filters.text = " ".join(typed.split())[:MAX_SEARCH_TEXT]
    filters.language = _known(
        params.get("language", ""), taxonomy.slugs("languages"), messages, _("Sprache")
    )
    filters.accessible = params.get("accessible", "") in {"on", "1", "true"}
    filters.needs = _needs(params, messages)
    filters.date_from = _date(params.get("from", ""), messages, _("Von"))
    filters.date_to = _date(params.get("to", ""), messages, _("Bis"))
    if filters.date_from and filters.date_to and filters.date_to < filters.date_from:
        messages.append(
            _("Das Datum „Bis“ liegt vor dem Datum „Von“; der Zeitraum wird ignoriert.")
        )
        filters.date_from = filters.date_to = None
    filters.online_only = params.get("online", "") in {"on", "1", "true"}
    _parse_place(params, filters)
    sort = params.get("sort", "") or ("distance" if filters.place else "next")
    if sort not in SORT_LABELS:
        sort = "next"
    if sort == "distance" and filters.place is None:
        messages.append(_("Nach Entfernung sortieren geht nur mit einer Postleitzahl."))
        sort = "next"
    filters.sort = sort
    page = str(params.get("page", "") or "1").strip()
    filters.page = int(page) if page.isdigit() and int(page) > 0 else 1
    return filters


def _needs(params: Mapping[str, str], messages: list[str]) -> tuple[str, ...]:
    """The ticked `barrierefrei` boxes (several values of one parameter), unknown ones
    dropped with a message."""
    getall = getattr(params, "getall", None)
    raw = getall("barrierefrei", []) if getall else [params.get("barrierefrei", "")]
    wanted = {str(value).strip() for value in raw if str(value).strip()}
    if wanted - ACCESSIBILITY_SLUGS:
        messages.append(
            _("Die Auswahl bei „{label}“ kennen wir nicht.").format(label=_("Barrierefrei"))
        )
    return tuple(slug for slug in sorted(wanted & ACCESSIBILITY_SLUGS))


def _known(value: str, allowed: set[str], messages: list[str], label: str) -> str:
    value = (value or "").strip()
    if value and value not in allowed:
        messages.append(_("Die Auswahl bei „{label}“ kennen wir nicht.").format(label=label))
        return ""
    return value


def _date(value: str, messages: list[str], label: str) -> dt.date | None:
    value = (value or "").strip()
    if not value:
        return None
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    messages.append(
        _("Bitte geben Sie bei „{label}“ ein Datum als TT.MM.JJJJ ein.").format(label=label)
    )
    return None


def _parse_place(params: Mapping[str, str], filters: SearchFilters) -> None:
    """Postcode → coarse place (offline gazetteer); the radius only counts with a place."""
    messages = filters.messages
    postcode = geo.normalise_postcode(params.get("postcode", ""))
    raw_km = (params.get("km", "") or "").strip()
    if postcode:
        if problem := postcode_problem(postcode):
            messages.append(problem)
        else:
            filters.postcode, filters.place = postcode, geo.place_of_postcode(postcode)
    if not raw_km:
        return
    if not raw_km.isdigit() or not 1 <= int(raw_km) <= MAX_RADIUS_KM:
        messages.append(
            _("Bitte geben Sie den Umkreis als ganze Zahl von 1 bis {high} km ein.").format(
                high=MAX_RADIUS_KM
            )
        )
    elif filters.place is None:
        if not postcode:
            messages.append(_("Für den Umkreis brauchen wir auch eine Postleitzahl."))
    else:
        filters.radius_km = int(raw_km)
