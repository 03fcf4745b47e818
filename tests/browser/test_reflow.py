"""Phones and 400 % zoom in headless Chromium.

A recommendation's "Warum es zu Ihnen passt" line must be readable (not painted over by the
next card), and every page type must reflow at 320 CSS px (WCAG 1.4.10, 400 % zoom) and at
the widths between phone and desktop: no sideways scrolling of the page, no control pushed off
the screen or hidden in a scroll box, and at 320 px no axe-core violation. The page tour runs over the demo town, whose long names, addresses and full
participant lists are what made tables too wide."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable

import pytest
from playwright.async_api import Browser, Page, expect

from boerse.accounts.tables import User
from boerse.demo.loader import OFFICER_LOGINS, RESIDENT_LOGIN, load_demo
from boerse.demo.town import ADMIN
from boerse.inventory.tables import ExternalCoproduction
from boerse.lib.db import utcnow
from boerse.opportunities.tables import Opportunity, OpportunitySession, SignUp
from boerse.questionnaires.tables import Questionnaire, QuestionnaireVersion, Response
from tests.matching.test_routes import make_offer, make_resident, refresh_index
from tests.support.browser import ZOOM_400, axe_violations, new_page, reflow_problems
from tests.support.factories import make_organisation

pytestmark = pytest.mark.browser

# 200 % zoom of a 1366 px laptop, a portrait tablet, a landscape tablet.
WIDER = (
    {"width": 683, "height": 700},
    {"width": 768, "height": 1024},
    {"width": 1024, "height": 768},
)

# For every reason line: is it the topmost element at its own centre and at its corners, and
# does any other card's box overlap it? Scrolled into view first, since elementFromPoint only
# sees the viewport.
COVERED_REASONS = """() => {
  const covered = [];
  const cards = [...document.querySelectorAll('.kern-card')];
  for (const reason of document.querySelectorAll('.match-reason')) {
    reason.scrollIntoView({block: 'center', behavior: 'instant'});
    const box = reason.getBoundingClientRect();
    const points = [
      [box.left + box.width / 2, box.top + box.height / 2],
      [box.left + 2, box.top + 2],
      [box.right - 2, box.bottom - 2],
    ];
    const hidden = points.some(([x, y]) => !reason.contains(document.elementFromPoint(x, y)));
    const overlapped = cards.some(card => {
      const other = card.getBoundingClientRect();
      return other.left < box.right && box.left < other.right
        && other.top < box.bottom && box.top < other.bottom;
    });
    if (hidden || overlapped) covered.push(reason.id);
  }
  return covered;
}"""


async def signed_in_page(browser: Browser, live_server: str, email: str | None) -> Page:
    """A 320 px page, signed in as the person with this address (None: a visitor)."""
    user = None if email is None else await User.objects().get(User.email == email)
    user_id = None if user is None else user.id
    return await new_page(browser, live_server, viewport=ZOOM_400, user_id=user_id)


async def tour(page: Page, paths: Iterable[str], found: dict[str, list]) -> None:
    """Visits each path at 320 px and records what does not reflow or what axe finds there,
    then what does not fit at the wider windows of 200 % zoom and small tablets."""
    for path in paths:
        await page.set_viewport_size(ZOOM_400)
        response = await page.goto(path)
        assert response is not None and response.status == 200, f"{path}: {response.status}"
        problems = await reflow_problems(page)
        problems += await axe_violations(page)
        for size in WIDER:
            await page.set_viewport_size(size)
            problems += [f"at {size['width']} px: {p}" for p in await reflow_problems(page)]
        if problems:
            found[path] = problems


async def officer_paths(email: str) -> list[str]:
    """The officer's pages for the offer of theirs with the most survey answers, with the
    participant lists of its fullest past session (attendance form) and its fullest coming one
    (confirm and cancel buttons in every row)."""
    officer = await User.objects().get(User.email == email)
    offers = await Opportunity.select(Opportunity.id).where(
        Opportunity.organisation == officer.organisation
    )
    offer_ids = [row["id"] for row in offers]
    answers = await Response.select(Response.opportunity).where(
        Response.opportunity.is_in(offer_ids)
    )
    offer_id = max(offer_ids, key=Counter(row["opportunity"] for row in answers).__getitem__)
    sessions = await OpportunitySession.select(
        OpportunitySession.id, OpportunitySession.starts_at
    ).where(OpportunitySession.opportunity == offer_id)
    sign_ups = await SignUp.select(SignUp.session).where(
        SignUp.session.is_in([row["id"] for row in sessions])
    )
    fullness = Counter(row["session"] for row in sign_ups).__getitem__
    now = utcnow()
    past = max((row["id"] for row in sessions if row["starts_at"] < now), key=fullness)
    coming = max((row["id"] for row in sessions if row["starts_at"] >= now), key=fullness)
    base = f"/verwaltung/angebote/{offer_id}"
    return [
        "/verwaltung/angebote",
        base,
        f"{base}/bearbeiten",
        f"{base}/termine",
        f"{base}/termine/{coming}/bearbeiten",
        f"/verwaltung/termine/{past}/teilnehmende",
        f"/verwaltung/termine/{coming}/teilnehmende",
        f"/verwaltung/termine/{past}/einchecken",
        f"/verwaltung/termine/{coming}/einchecken",
        f"/verwaltung/termine/{coming}/aushang",
        f"{base}/freiwillige",
        f"{base}/ergebnisse",
        "/verwaltung/angebote/neu",
        "/konto/zwei-faktor",
        *await inventory_paths(),
        "/verwaltung/auswertung",
        "/verwaltung/auswertung?nach=angebot",
    ]


async def inventory_paths() -> list[str]:
    """The matrix, a cell with offers, entries outside the Börse and ideas, an entry's form,
    and the potential table (all fields, and one)."""
    entry = await ExternalCoproduction.select().order_by(ExternalCoproduction.id).first()
    base = "/verwaltung/bestandsaufnahme"
    return [
        f"{base}/",
        f"{base}/{entry['field']}/{entry['mode']}",
        f"{base}/extern/neu",
        "/verwaltung/potenzial/",
        f"/verwaltung/potenzial/?feld={entry['field']}",
    ]


async def assessment_paths() -> dict[str, list[str]]:
    """The demo's assessments: the account-access one for the public and the resident (who
    has not answered it), both with their poster for the administrator."""
    from boerse.assessments.tables import Assessment

    rows = await Assessment.select(Assessment.id, Assessment.slug, Assessment.access).order_by(
        Assessment.id
    )
    open_to_all = next(row for row in rows if row["access"] == "account")
    managed = [f"/verwaltung/mitbewerten/{row['id']}" for row in rows]
    return {
        "public": ["/mitbewerten", f"/mitbewerten/{open_to_all['slug']}"],
        "resident": [f"/mitbewerten/{open_to_all['slug']}/antworten"],
        "admin": [
            "/verwaltung/mitbewerten",
            "/verwaltung/mitbewerten/neu",
            *managed,
            f"{managed[0]}/bearbeiten",
            f"{managed[0]}/plakat",
        ],
    }


async def builder_paths(email: str) -> dict[str, list[str]]:
    """The questionnaire builder: the officer's list, the questionnaire of their first offer
    with its forms and preview; for the administrator the built-in walk audit (stops)."""
    from boerse.questionnaires import services as questionnaires
    from boerse.questionnaires.catalog import builtin_template_id

    officer = await User.objects().get(User.email == email)
    offer = (
        await Opportunity.select(Opportunity.id)
        .where(Opportunity.organisation == officer.organisation)
        .first()
    )
    own = await questionnaires.open_for_opportunity(offer["id"])
    plan = await questionnaires.latest_plan(own)
    base = f"/verwaltung/frageboegen/{own}"
    # The demo's walk audit with stops, else the built-in one (which has none).
    from boerse.questionnaires.tables import Stop

    stop = await Stop.select(Stop.version.questionnaire.as_alias("walk")).first()
    walk = stop["walk"] if stop else await builtin_template_id("dementia_walk")
    walk_plan = await questionnaires.latest_plan(walk)
    walk_base = f"/verwaltung/frageboegen/{walk}"
    stop_paths = [f"{walk_base}/stationen/{s.id}" for s in walk_plan.stops[:1]]
    return {
        "officer": [
            "/verwaltung/frageboegen",
            base,
            f"{base}/vorschau",
            f"{base}/fragen/neu",
            f"{base}/fragen/{plan.questions[0].id}",
        ],
        "admin": [
            "/verwaltung/frageboegen",
            walk_base,
            f"{walk_base}/vorschau",
            f"{walk_base}/stationen/neu",
            f"{walk_base}/fragen/{walk_plan.questions[0].id}",
            *stop_paths,
        ],
    }


async def results_paths() -> list[str]:
    """Questionnaire results for the administrator: the questionnaire with the most answers,
    the demo's walk audit (lights, map and list of its stops), and the first version of a
    questionnaire edited after its first answers."""
    answers = Counter(row["questionnaire"] for row in await Response.select(Response.questionnaire))
    walks = await Questionnaire.select(Questionnaire.id).where(
        Questionnaire.kind == "walk_audit", Questionnaire.id.is_in(list(answers) or [0])
    )
    versions = Counter(
        row["questionnaire"]
        for row in await QuestionnaireVersion.select(QuestionnaireVersion.questionnaire)
    )
    edited = [q for q in answers if versions[q] > 1]
    paths = [f"/verwaltung/frageboegen/{answers.most_common(1)[0][0]}/ergebnisse"]
    paths += [f"/verwaltung/frageboegen/{row['id']}/ergebnisse" for row in walks[:1]]
    paths += [f"/verwaltung/frageboegen/{q}/ergebnisse?version=1" for q in edited[:1]]
    return paths


async def public_result_path(page: Page) -> str:
    await page.goto("/ergebnisse")
    return await page.locator("main a[href^='/ergebnisse/']").first.get_attribute("href")


async def reply_paths() -> dict[str, list[str]]:
    """A demo reply: the public list, its page and an opt-out page; its edit form and the
    new-reply forms (for an opportunity and for a goal) for the administrator."""
    from boerse.replies.services import opt_out_token
    from boerse.replies.tables import Reply

    reply = await Reply.select(Reply.id, Reply.opportunity).order_by(Reply.id).first()
    answered = await Reply.select(Reply.goal).where(Reply.goal.is_not_null()).first()
    resident = await User.select(User.id).where(User.email == RESIDENT_LOGIN).first()
    return {
        "public": [
            "/wir-haben-gehandelt/",
            f"/wir-haben-gehandelt/{reply['id']}",
            f"/wir-haben-gehandelt/abbestellen/{resident['id']}?token={opt_out_token(resident['id'])}",
        ],
        "admin": [
            f"/verwaltung/rueckmeldungen/{reply['id']}",
            f"/verwaltung/rueckmeldungen/angebot/{reply['opportunity']}/neu",
            f"/verwaltung/rueckmeldungen/ziel/{answered['goal']}/neu",
        ],
    }


async def goal_paths() -> dict[str, list[str]]:
    """The demo's goals: the list and a main goal's page; the admin's hierarchy, a goal's
    form and the indicator page of a linked opportunity's questionnaire."""
    from boerse.goals.tables import Goal, GoalIndicator

    goal = await Goal.select(Goal.id).where(Goal.parent.is_null()).order_by(Goal.id).first()
    marked = await GoalIndicator.select(
        GoalIndicator.question.version.questionnaire.as_alias("questionnaire")
    ).first()
    return {
        "public": ["/wirkungsziele/", f"/wirkungsziele/{goal['id']}"],
        "admin": [
            "/admin/wirkungsziele/",
            "/admin/wirkungsziele/neu",
            f"/admin/wirkungsziele/{goal['id']}",
            f"/verwaltung/frageboegen/{marked['questionnaire']}/indikatoren",
        ],
    }


async def requirement_paths() -> dict[str, list[str]]:
    """The demo's offer that needs the certificate, a person with records, the officer's
    pages and the qualification list."""
    from boerse.demo.requirements import YOUTH_OFFER
    from boerse.requirements.tables import RequirementRecord

    youth = await Opportunity.select(Opportunity.id).where(Opportunity.title == YOUTH_OFFER).first()
    person = await RequirementRecord.select(RequirementRecord.user).first()
    return {
        "public": [f"/angebote/{youth['id']}"],
        "resident": ["/profil/nachweise"],
        "admin": [
            f"/angebote/{youth['id']}/voraussetzungen",
            "/nachweise",
            f"/nachweise/personen/{person['user']}",
            "/admin/qualifikationen/",
        ],
    }


SETTINGS_PATHS = (
    "/konto/passwort",
    "/konto/email",
    "/konto/benachrichtigungen",
    "/konto/ueberall-abmelden",
    "/angebote?barrierefrei=wheelchair&barrierefrei=seating",
)
"""A resident's account settings (issue 12) and the list's accessibility filter."""


async def series_paths() -> list[str]:
    """The demo's weekly series (its officer is the tour's): the dates page with series
    dates, "dieser und alle folgenden" changes and the cancel page of its moved date."""
    from boerse.demo.series import MOVED_NOTE, SERIES_OFFER

    offer = (
        await Opportunity.select(Opportunity.id).where(Opportunity.title == SERIES_OFFER).first()
    )
    moved = (
        await OpportunitySession.select(OpportunitySession.id)
        .where(OpportunitySession.location_note == MOVED_NOTE)
        .first()
    )
    base = f"/verwaltung/angebote/{offer['id']}/termine"
    return [base, f"{base}/{moved['id']}/serie", f"{base}/{moved['id']}/absagen"]


async def engagement_paths() -> dict[str, list[str]]:
    """Mein Engagement of the demo resident (two years, reports, a certificate), the report
    form, the public check with the certificate's link, and the officer's reports to decide."""
    from boerse.engagement.certificates import format_code
    from boerse.engagement.tables import Certificate, HoursReport

    certificate = await Certificate.select(Certificate.code).first()
    pending = (
        await HoursReport.select(HoursReport.id).where(HoursReport.status == "pending").first()
    )
    return {
        "public": ["/nachweis-pruefen", f"/nachweis-pruefen/{format_code(certificate['code'])}"],
        "resident": ["/mein-engagement", "/mein-engagement/stunden-melden"],
        "officer": [
            "/verwaltung/stundenmeldungen",
            f"/verwaltung/stundenmeldungen/{pending['id']}",
        ],
    }


async def officer_tools_paths() -> dict[str, list[str]]:
    """The tour officer's organisation (public page with logo and contact, edit form) and
    the administrator's selection lists (issue 12)."""
    officer = await User.objects().get(User.email == OFFICER_LOGINS[0])
    return {
        "public": [f"/organisationen/{officer.organisation}"],
        "officer": [f"/verwaltung/organisationen/{officer.organisation}/bearbeiten"],
        "admin": [
            "/admin/auswahllisten/handlungsfelder",
            "/admin/auswahllisten/faehigkeiten",
            "/admin/auswahllisten/sprachen",
        ],
    }


async def message_paths() -> dict[str, list[str]]:
    """The demo's sent message: its officer's list, the copy and the compose form, and a
    resident's page to switch such messages off."""
    from boerse.messages.services import OptOut, opt_out_token
    from boerse.messages.tables import Message

    message = await Message.select(Message.id, Message.opportunity).first()
    resident = await User.select(User.id).where(User.email == RESIDENT_LOGIN).first()
    base = "/verwaltung/nachrichten"
    return {
        "public": [
            f"/nachrichten/abbestellen/{resident['id']}?token={opt_out_token(resident['id'])}",
            f"/nachrichten/abbestellen/uebersicht/{resident['id']}"
            f"?token={opt_out_token(resident['id'], OptOut.SUMMARY)}",
        ],
        "officer": [
            f"{base}/angebot/{message['opportunity']}",
            f"{base}/angebot/{message['opportunity']}/neu",
            f"{base}/{message['id']}",
        ],
    }


async def checkin_paths() -> list[str]:
    """Check-in for the public: the page to type the code, and a date's QR link opened
    without login (it explains how to be recognised)."""
    row = (
        await OpportunitySession.select(OpportunitySession.checkin_code)
        .where(OpportunitySession.checkin_code != "")
        .order_by(OpportunitySession.starts_at, ascending=False)
        .first()
    )
    return ["/einchecken", f"/einchecken/{row['checkin_code']}"]


async def guest_paths() -> dict[str, list[str]]:
    """Signing up without an account: the form of the demo guest's date, the "check your
    mail" page, the confirmation page of a fresh emailed link, and the guest's personal page
    (with check-in and upgrade); for a resident, that offer's page with "ich komme mit N
    weiteren Personen"."""
    from boerse.demo.guests import demo_guest_token
    from boerse.guests.tables import GuestSignUpRequest
    from boerse.lib.security import new_token

    token = await demo_guest_token()
    signup = (
        await SignUp.select(SignUp.session, SignUp.session.opportunity.as_alias("opportunity"))
        .where(SignUp.user.email == "greta.gast@post.example")
        .first()
    )
    confirm, confirm_hash = new_token()
    now = utcnow()
    await GuestSignUpRequest(
        token_hash=confirm_hash,
        session=signup["session"],
        email="tour@post.example",
        consent_at=now,
        expires_at=now + dt.timedelta(hours=1),
    ).save()
    return {
        "public": [
            f"/termine/{signup['session']}/gast",
            "/gast/gesendet",
            f"/gast/bestaetigen/{confirm}",
            f"/anmeldung/{token}",
        ],
        "resident": [f"/angebote/{signup['opportunity']}"],
    }


async def test_every_page_type_reflows_from_320_px(browser: Browser, live_server: str) -> None:
    assert await load_demo() is True
    # A published offer (the physical order differs per backend; drafts answer 404).
    offer = (
        await Opportunity.select(Opportunity.id)
        .where(Opportunity.status == "published")
        .order_by(Opportunity.id)
        .first()
    )
    found: dict[str, list] = {}
    officer_tools = await officer_tools_paths()
    assessments = await assessment_paths()
    replies = await reply_paths()
    messages = await message_paths()
    goals = await goal_paths()
    engagement = await engagement_paths()
    requirements = await requirement_paths()
    guests = await guest_paths()

    public = await signed_in_page(browser, live_server, None)
    await tour(
        public,
        [
            "/",
            "/angebote",
            f"/angebote/{offer['id']}",
            "/ergebnisse",
            *officer_tools["public"],
            await public_result_path(public),
            "/ergebnisse/auswertung",
            "/ergebnisse/auswertung?nach=modus",
            "/ergebnisse/auswertung?nach=wirkungsziel",
            "/ergebnisse/offene-daten",
            "/impressum",
            "/datenschutz",
            "/barrierefreiheit",
            "/konto/anmelden",
            "/konto/registrieren",
            "/konto/passwort-vergessen",
            "/umfrage/danke",
            *await checkin_paths(),
            *assessments["public"],
            *replies["public"],
            *messages["public"],
            *goals["public"],
            *engagement["public"],
            *requirements["public"],
            *guests["public"],
        ],
        found,
    )
    await public.context.close()

    resident = await signed_in_page(browser, live_server, RESIDENT_LOGIN)
    await tour(
        resident,
        [
            "/",
            "/profil",
            "/profil/daten",
            "/profil/loeschen",
            "/meine-termine",
            "/empfehlungen",
            "/konto",
            *SETTINGS_PATHS,
            *assessments["resident"],
            *engagement["resident"],
            *requirements["resident"],
            *guests["resident"],
        ],
        found,
    )
    await resident.context.close()

    officer = await signed_in_page(browser, live_server, OFFICER_LOGINS[0])
    builder = await builder_paths(OFFICER_LOGINS[0])
    await tour(
        officer,
        [
            *await officer_paths(OFFICER_LOGINS[0]),
            *builder["officer"],
            *await series_paths(),
            *officer_tools["officer"],
        ],
        found,
    )
    await officer.context.close()

    desk = await signed_in_page(browser, live_server, OFFICER_LOGINS[0])
    await tour(desk, engagement["officer"], found)
    await desk.context.close()

    admin = await signed_in_page(browser, live_server, ADMIN.email)
    await tour(
        admin,
        [
            "/admin",
            "/admin/konten",
            "/admin/konten/neu",
            "/admin/organisationen",
            "/admin/organisationen/neu",
            "/admin/versand",
            "/admin/protokoll",
            "/admin/rechtstexte",
            "/admin/rechtstexte/impressum",
            "/admin/partnerzugaenge",
            "/admin/partnerzugaenge/neu",
            *officer_tools["admin"],
            *builder["admin"],
            *assessments["admin"],
            *replies["admin"],
            *messages["officer"],
            *goals["admin"],
            *requirements["admin"],
            *await results_paths(),
            "/verwaltung/auswertung?nach=wirkungsziel",
            "/verwaltung/auswertung?nach=modus&von=2020-01&bis=2024-12",
        ],
        found,
    )
    await admin.context.close()

    assert found == {}, "\n".join(f"{path}: {problems}" for path, problems in found.items())


async def test_the_attendance_controls_are_on_a_360_px_phone(
    browser: Browser, live_server: str
) -> None:
    """An officer confirms sign-ups and records attendance on a phone: every attendance field and
    row action of the lists must be on the screen."""
    assert await load_demo() is True
    paths = await officer_paths(OFFICER_LOGINS[0])
    page = await signed_in_page(browser, live_server, OFFICER_LOGINS[0])
    await page.set_viewport_size({"width": 360, "height": 740})
    for path in [path for path in paths if path.endswith("/teilnehmende")]:
        await page.goto(path)
        await expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert (
            await page.locator("main tbody").get_by_role("button").count()
            + await page.locator("main tbody select").count()
            > 10
        )
        problems = await reflow_problems(page)
        assert problems == [], f"{path}: " + "\n".join(problems)
    await page.context.close()


@pytest.mark.parametrize("width", [360, 1280])
async def test_no_recommendation_reason_is_covered(
    browser: Browser, live_server: str, width: int
) -> None:
    organisation = await make_organisation("Grünflächenamt")
    for number in range(1, 21):
        await make_offer(organisation, f"Bäume pflanzen im Rosental, Gruppe {number}")
    resident = await make_resident("Jana", email="jana@example.org")
    await refresh_index()
    page = await signed_in_page(browser, live_server, resident.email)
    await page.set_viewport_size({"width": width, "height": 800})

    await page.goto("/empfehlungen")
    await expect(page.locator(".match-reason")).to_have_count(20)
    covered = await page.evaluate(COVERED_REASONS)
    assert covered == [], f"{len(covered)} of 20 reasons covered at {width} px"

    await page.goto("/")
    await expect(page.get_by_role("heading", name="Für Sie empfohlen")).to_be_visible()
    shown = await page.locator(".match-reason").count()
    assert shown > 0
    covered = await page.evaluate(COVERED_REASONS)
    assert covered == [], f"{len(covered)} of {shown} reasons covered on the start page"
    await page.context.close()
