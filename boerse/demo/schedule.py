"""Plans dates, sign-ups, attendance and survey answers for the catalogue, without the database.

Everything is derived from the day of loading and a seeded generator, so a demo always has
recent history and upcoming dates, and two loads on the same day are identical. Most offers'
past dates are moved back by whole four-week steps (`history_shift`), so sign-ups,
attendance and answers spread over the last eight months and the dashboards' monthly
trends show a curve; each answer keeps the date of the session it is about."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field, replace

from boerse.demo.model import Offer, Slot
from boerse.demo.people import Resident
from boerse.lib.formatting import TOWN_TIMEZONE
from boerse.opportunities.tables import Attendance, OpportunityStatus, SignUpStatus
from boerse.profiles.taxonomy import WEEKDAYS

WEEKDAY_CODES = [code for code, _ in WEEKDAYS]

# Attendance of the most recent dates is not recorded yet: something for the officer to do.
ATTENDANCE_RECORDED_FROM_DAYS_AGO = 4
ANSWER_RATE = 0.7
MAX_PAST_PARTICIPANTS = 45
MAX_WAITLIST = 6
HISTORY_STEPS = 7
"""Past dates move back by up to this many four-week steps (weekday kept): up to ~8 months."""
RECENT_DAYS = 7
"""An offer with a date in the last week keeps its dates: attendance to record, open surveys."""
QUALITY_GAIN_PER_STEP = 0.08
"""Older dates were rated a little lower: the town learned from the answers."""
# No town holds a workshop on these days; a date that lands on one moves by a week.
FIXED_HOLIDAYS = {(1, 1), (5, 1), (10, 3), (12, 24), (12, 25), (12, 26), (12, 31)}

# What the demo login "Anna Weber" (resident 0) did: offer title prefix, slot index → status.
DEMO_RESIDENT_PLAN: dict[tuple[str, int], str] = {
    ("Baumpatenschaft", 0): "attended-answered",
    ("Lesestart", 1): "attended-open",
    ("Lesestart", 2): SignUpStatus.REGISTERED.value,
    ("Mehrgenerationengarten", 1): SignUpStatus.CONFIRMED.value,
    ("Jury Stadtteilfonds", 0): SignUpStatus.WAITLISTED.value,
    ("Zeig uns Deinen Lieblingsplatz", 1): SignUpStatus.REGISTERED.value,
}

COMMENTS = (
    "Sehr gut organisiert, ich komme gern wieder.",
    "Die Zeit war etwas knapp, aber die Ergebnisse können sich sehen lassen.",
    "Schön, dass unsere Vorschläge ernst genommen werden. Bitte berichten Sie, was daraus wird.",
    "Ich hätte mir mehr Informationen vorab gewünscht.",
    "Tolle Gruppe, nette Leute aus der Nachbarschaft kennengelernt.",
    "Der Raum war zu warm und die Akustik schlecht.",
    "Endlich fragt die Stadt uns mal. Gern öfter!",
    "Die Moderation war klasse, alle kamen zu Wort.",
    "Mir ist nicht klar geworden, was mit den Ergebnissen passiert.",
    "Ein Termin am Wochenende wäre für Berufstätige besser.",
    "Es hat Spaß gemacht und ich habe viel über unsere Stadt gelernt.",
    "Bitte mehr Angebote in einfacher Sprache.",
    "Die Kinder waren begeistert.",
    "Gut vorbereitet, klare Aufgaben, freundliche Ansprechpartnerin.",
    "Die Anfahrt mit dem Bus war schwierig, vielleicht gibt es einen zentraleren Ort.",
    "Ich fand es wichtig, dass auch Betroffene selbst dabei waren.",
    "Kaffee und Kuchen waren ein schöner Abschluss.",
    "Schade, dass so wenige Jüngere dabei waren.",
)


@dataclass
class PlannedSurvey:
    created_at: dt.datetime
    expires_at: dt.datetime
    answered_at: dt.datetime | None = None
    ratings: tuple[int, int, int, int] | None = None
    comment: str = ""


@dataclass
class PlannedSignUp:
    resident: int
    status: str
    created_at: dt.datetime
    attendance: str | None = None
    hours: float | None = None
    waitlisted_at: dt.datetime | None = None
    survey: PlannedSurvey | None = None

    @property
    def takes_seat(self) -> bool:
        return self.status in (SignUpStatus.REGISTERED, SignUpStatus.CONFIRMED)


@dataclass
class PlannedSession:
    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int
    location_note: str
    sign_ups: list[PlannedSignUp] = field(default_factory=list)

    @property
    def seats_taken(self) -> int:
        return sum(1 for sign_up in self.sign_ups if sign_up.takes_seat)


@dataclass
class PlannedOffer:
    offer: Offer
    created_at: dt.datetime
    published_at: dt.datetime | None
    sessions: list[PlannedSession]


@dataclass(frozen=True)
class Clock:
    now: dt.datetime
    survey_delay: dt.timedelta
    survey_valid: dt.timedelta

    @property
    def today(self) -> dt.date:
        return self.now.astimezone(TOWN_TIMEZONE).date()


def session_times(
    slot: Slot, today: dt.date, weekday: str = "", taken: frozenset[dt.date] = frozenset()
) -> tuple[dt.datetime, dt.datetime]:
    """Local wall-clock time in the town, stored as UTC. `weekday` (unless the slot names its
    own) moves the date away from today to that weekday; a holiday or a date in `taken` (the
    offer's other dates) moves it on by a week, so past dates stay past and future ones future."""
    weekday = slot.weekday or weekday
    hour, minute = (int(part) for part in slot.start.split(":"))
    step = dt.timedelta(days=1 if slot.day_offset > 0 else -1)
    day = today + dt.timedelta(days=slot.day_offset)
    if weekday:
        while day.weekday() != WEEKDAY_CODES.index(weekday):
            day += step
    while (day.month, day.day) in FIXED_HOLIDAYS or day in taken:
        day += 7 * step
    local_start = dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TOWN_TIMEZONE)
    starts_at = local_start.astimezone(dt.UTC)
    return starts_at, starts_at + dt.timedelta(hours=slot.hours)


def plan_offers(
    offers: list[Offer], residents: list[Resident], rng: random.Random, clock: Clock
) -> list[PlannedOffer]:
    return [_plan_offer(offer, residents, rng, clock) for offer in offers]


def history_steps(offer: Offer) -> list[int]:
    """Per date of the offer, how many four-week steps it moves back (future dates none).
    The newest past date moves by a number drawn per offer (none if it lies in the last
    week), each older one by one to three steps more, up to `HISTORY_STEPS`: a recurring
    offer then ran every month or two since spring. Drawn from a generator seeded by the
    title, not the shared one, so the rest of the plan stays as it was. The demo login's
    offers keep their dates (her slots are planned by index and recent)."""
    steps = [0] * len(offer.slots)
    if _is_demo_resident_offer(offer):
        return steps
    draw = random.Random(f"history:{offer.title}")
    past = [i for i, slot in enumerate(offer.slots) if slot.day_offset < 0]
    step: int | None = None
    for index in sorted(past, key=lambda i: -offer.slots[i].day_offset):  # newest first
        if step is None:
            recent = offer.slots[index].day_offset > -RECENT_DAYS
            step = 0 if recent else draw.randint(0, HISTORY_STEPS)
        else:
            step = min(HISTORY_STEPS, step + draw.randint(1, 3))
        steps[index] = step
    return steps


def _moved(slot: Slot, steps: int) -> Slot:
    if slot.day_offset >= 0 or not steps:
        return slot
    return replace(slot, day_offset=slot.day_offset - 28 * steps)


def _plan_offer(
    offer: Offer, residents: list[Resident], rng: random.Random, clock: Clock
) -> PlannedOffer:
    sessions = []
    taken: set[dt.date] = set()
    steps = history_steps(offer)
    offer_slots = [_moved(slot, n) for slot, n in zip(offer.slots, steps, strict=True)]
    for slot in offer_slots:
        starts_at, ends_at = session_times(slot, clock.today, offer.weekday, frozenset(taken))
        taken.add(starts_at.astimezone(TOWN_TIMEZONE).date())
        note = slot.location_note or (
            "Zugangslink per E-Mail nach der Anmeldung" if offer.venue is None else ""
        )
        sessions.append(PlannedSession(starts_at, ends_at, offer.capacity, note))
    first_start = min(session.starts_at for session in sessions)
    if offer.status == OpportunityStatus.DRAFT:
        created_at = clock.now - dt.timedelta(days=rng.randint(1, 6), hours=rng.randint(0, 8))
        return PlannedOffer(offer, created_at, None, sessions)
    published_at = min(first_start - dt.timedelta(days=21), clock.now - dt.timedelta(days=3))
    published_at -= dt.timedelta(days=rng.randint(0, 10), hours=rng.randint(0, 8))
    planned = PlannedOffer(
        offer, published_at - dt.timedelta(days=rng.randint(1, 5)), published_at, sessions
    )
    quality = rng.uniform(3.4, 4.7)
    candidates = _candidates(offer, residents, rng, clock.today.year)
    for index, (slot, session) in enumerate(zip(offer_slots, sessions, strict=True)):
        earlier = quality - QUALITY_GAIN_PER_STEP * steps[index]
        _fill_session(planned, index, slot, session, candidates, rng, clock, earlier)
    return planned


def _candidates(
    offer: Offer, residents: list[Resident], rng: random.Random, year: int
) -> list[int]:
    """Residents interested in the field first, then the rest; the demo login is placed by plan."""
    interested, others = [], []
    for index, resident in enumerate(residents[1:], start=1):
        if offer.min_age and year - resident.birth_year < offer.min_age:
            continue
        (interested if offer.field in resident.interests else others).append(index)
    rng.shuffle(interested)
    rng.shuffle(others)
    return interested + others


def _is_demo_resident_offer(offer: Offer) -> bool:
    return any(offer.title.startswith(prefix) for prefix, _index in DEMO_RESIDENT_PLAN)


def _demo_resident_status(offer: Offer, slot_index: int) -> str | None:
    for (prefix, index), status in DEMO_RESIDENT_PLAN.items():
        if offer.title.startswith(prefix) and index == slot_index:
            return status
    return None


def _fill_session(
    planned: PlannedOffer,
    slot_index: int,
    slot: Slot,
    session: PlannedSession,
    candidates: list[int],
    rng: random.Random,
    clock: Clock,
    quality: float,
) -> None:
    offer = planned.offer
    past = session.ends_at < clock.now
    if past:
        seated = min(round(offer.capacity * rng.uniform(0.65, 1.0)), MAX_PAST_PARTICIPANTS)
        waiting = 0
    elif offer.demand > 1:
        seated = offer.capacity
        waiting = min(MAX_WAITLIST, max(1, round(offer.capacity * (offer.demand - 1))))
    else:
        seated = min(offer.capacity, round(offer.capacity * offer.demand * rng.uniform(0.8, 1.1)))
        waiting = 0
    demo_status = _demo_resident_status(offer, slot_index)
    start = rng.randrange(len(candidates))
    chosen = [candidates[(start + i) % len(candidates)] for i in range(seated + waiting)]
    if demo_status == SignUpStatus.WAITLISTED:
        chosen.insert(seated, 0)
    elif demo_status is not None:
        chosen.insert(0, 0)
    chosen = list(dict.fromkeys(chosen))[
        : seated + waiting + (1 if demo_status == SignUpStatus.WAITLISTED else 0)
    ]
    seated = min(seated, len(chosen))
    window_end = min(session.starts_at - dt.timedelta(hours=2), clock.now)
    for position, resident in enumerate(chosen):
        created_at = _between(rng, planned.published_at, window_end)
        if position >= seated:
            sign_up = PlannedSignUp(
                resident, SignUpStatus.WAITLISTED.value, created_at, waitlisted_at=created_at
            )
        elif past:
            sign_up = _past_sign_up(resident, created_at, slot, session, rng, clock, quality)
        else:
            status = SignUpStatus.CONFIRMED if rng.random() < 0.4 else SignUpStatus.REGISTERED
            sign_up = PlannedSignUp(resident, status.value, created_at)
        if resident == 0 and demo_status in (SignUpStatus.REGISTERED, SignUpStatus.CONFIRMED):
            sign_up.status = demo_status
        if resident == 0 and demo_status and demo_status.startswith("attended"):
            _make_demo_attendance(sign_up, demo_status, session, slot, clock, quality, rng)
        session.sign_ups.append(sign_up)
    _add_cancellation(session, candidates, chosen, planned, rng, window_end)


def _past_sign_up(
    resident: int,
    created_at: dt.datetime,
    slot: Slot,
    session: PlannedSession,
    rng: random.Random,
    clock: Clock,
    quality: float,
) -> PlannedSignUp:
    sign_up = PlannedSignUp(resident, SignUpStatus.CONFIRMED.value, created_at)
    if -slot.day_offset < ATTENDANCE_RECORDED_FROM_DAYS_AGO:
        return sign_up
    if rng.random() < 0.12:
        sign_up.attendance = Attendance.ABSENT.value
        return sign_up
    sign_up.attendance = Attendance.ATTENDED.value
    sign_up.hours = slot.hours
    sign_up.survey = _survey(session, rng, clock, quality, answer=rng.random() < ANSWER_RATE)
    return sign_up


def _make_demo_attendance(
    sign_up: PlannedSignUp,
    plan: str,
    session: PlannedSession,
    slot: Slot,
    clock: Clock,
    quality: float,
    rng: random.Random,
) -> None:
    sign_up.status = SignUpStatus.CONFIRMED.value
    sign_up.attendance = Attendance.ATTENDED.value
    sign_up.hours = slot.hours
    sign_up.survey = _survey(session, rng, clock, quality, answer=plan.endswith("answered"))
    if plan.endswith("open") and sign_up.survey.expires_at <= clock.now:
        # Still open for the demo login even with a short SURVEY_VALID_DAYS.
        sign_up.survey.created_at = clock.now - dt.timedelta(days=1)
        sign_up.survey.expires_at = sign_up.survey.created_at + clock.survey_valid


def _survey(
    session: PlannedSession, rng: random.Random, clock: Clock, quality: float, answer: bool
) -> PlannedSurvey:
    created_at = session.ends_at + clock.survey_delay
    survey = PlannedSurvey(created_at, created_at + clock.survey_valid)
    answered_at = created_at + dt.timedelta(minutes=rng.randint(20, 96 * 60))
    if answer and answered_at < clock.now:
        survey.answered_at = answered_at
        survey.ratings = _ratings(rng, quality)
        survey.comment = rng.choice(COMMENTS) if rng.random() < 0.35 else ""
    return survey


def _ratings(rng: random.Random, quality: float) -> tuple[int, int, int, int]:
    """Stars 1–5 around the offer's quality; statements on the four-point scale −− − + ++ (1–4)."""
    stars = _clamp(round(rng.gauss(quality, 0.8)), 1, 5)
    statement_mean = 1 + (quality - 1) * 3 / 4
    statements = [_clamp(round(rng.gauss(statement_mean, 0.7)), 1, 4) for _ in range(3)]
    return (stars, statements[0], statements[1], statements[2])


def _add_cancellation(
    session: PlannedSession,
    candidates: list[int],
    chosen: list[int],
    planned: PlannedOffer,
    rng: random.Random,
    window_end: dt.datetime,
) -> None:
    """About one date in four has somebody who cancelled; it does not take a seat."""
    if rng.random() >= 0.25:
        return
    taken = set(chosen)
    free = [index for index in candidates if index not in taken]
    if free:
        created_at = _between(rng, planned.published_at, window_end)
        session.sign_ups.append(
            PlannedSignUp(rng.choice(free), SignUpStatus.CANCELLED.value, created_at)
        )


def _between(rng: random.Random, start: dt.datetime | None, end: dt.datetime) -> dt.datetime:
    if start is None or end <= start:
        return end
    seconds = int((end - start).total_seconds())
    return start + dt.timedelta(seconds=rng.randint(0, seconds))


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))
