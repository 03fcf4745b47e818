"""Markup typed into any field a person can edit stays text on every page, in every email
and in the CSV export that shows it (stored script injection, issue 7).

One payload goes into every user-editable text field: the resident's name and own skill,
the organisation's name and description, every text of an opportunity and of its date, and
a survey comment. Then each role opens every page that shows those texts."""

from __future__ import annotations

import csv
import io

from markupsafe import escape

from boerse.accounts.tables import Role
from boerse.matching.index import rebuild_index
from boerse.outbox.tables import OutboxEmail
from tests.dashboards.answers import answer_feedback
from tests.profiles.helpers import valid_form
from tests.support.factories import (
    make_officer,
    make_opportunity,
    make_organisation,
    make_session,
    make_user,
    sign_in,
)
from tests.surveys.helpers import past_session

MARK = '<b id="xss">M&\'</b>'
ESCAPED = str(escape(MARK))
FORMULA = '=HYPERLINK("http://evil.example")'


def assert_shown_as_text(page: str, where: str) -> None:
    assert MARK not in page, where
    assert "<b id=" not in page, where
    assert ESCAPED in page, where


async def test_markup_in_every_user_editable_field_stays_text_everywhere(client) -> None:
    organisation = await make_organisation(f"{MARK} Verein", description=MARK, website="")
    officer = await make_officer(organisation, display_name=MARK)
    admin = await make_user(email="admin@example.org", role=Role.ADMIN, display_name=MARK)
    opportunity = await make_opportunity(
        organisation,
        title=f"{MARK} Titel",
        summary=MARK,
        description=MARK,
        outcome_goal=MARK,
        accessibility=MARK,
        contact_name=MARK,
        contact_phone=MARK,
    )
    session = await make_session(opportunity, location_note=MARK)
    # Recommendations leave out what the resident signed up for: a second offer shows there.
    second = await make_opportunity(organisation, title=f"{MARK} Zweites")
    await make_session(second)
    earlier = await past_session(opportunity)
    for _ in range(5):
        await answer_feedback(opportunity, comment=MARK)

    resident = await make_user(email="anwohnerin@example.org")
    await sign_in(client, resident)
    saved = await client.submit("/profil", await valid_form(display_name=MARK, own_skills=MARK))
    assert saved.status_code == 303
    assert (await client.submit(f"/termine/{session.id}/anmelden")).status_code == 303
    await rebuild_index()  # as an operator would after an import; jobs keep it fresh later
    for path in (
        "/",
        "/angebote",
        f"/angebote/{opportunity.id}",
        "/meine-termine",
        "/empfehlungen",
        "/profil",
        "/profil/daten",
        "/konto",
        f"/ergebnisse/{opportunity.id}",
    ):
        assert_shown_as_text((await client.get(path)).text, path)

    await sign_in(client, officer)
    for path in (
        "/verwaltung/angebote",
        f"/verwaltung/angebote/{opportunity.id}",
        f"/verwaltung/angebote/{opportunity.id}/bearbeiten",
        f"/verwaltung/angebote/{opportunity.id}/termine",
        f"/verwaltung/angebote/{opportunity.id}/termine/{session.id}/bearbeiten",
        f"/verwaltung/termine/{session.id}/teilnehmende",
        f"/verwaltung/angebote/{opportunity.id}/ergebnisse",
        f"/verwaltung/angebote/{second.id}/freiwillige",
    ):
        assert_shown_as_text((await client.get(path)).text, path)
    invited = await client.submit(
        f"/verwaltung/angebote/{second.id}/freiwillige/{resident.id}/einladen"
    )
    assert invited.status_code == 303

    await sign_in(client, admin)
    for path in ("/admin/konten", "/admin/organisationen"):
        assert_shown_as_text((await client.get(path)).text, path)

    emails = await OutboxEmail.select(OutboxEmail.subject, OutboxEmail.body_html)
    assert len(emails) >= 2  # the sign-up confirmation and the officer's invitation
    for email in emails:
        assert_shown_as_text(email["body_html"], email["subject"])
    assert earlier.id  # a past date exists, so the results pages have a survey to show


async def test_names_that_look_like_formulas_are_neutralised_in_the_csv(client) -> None:
    organisation = await make_organisation()
    opportunity = await make_opportunity(organisation)
    session = await make_session(opportunity)
    resident = await make_user()
    await sign_in(client, resident)
    await client.submit("/profil", await valid_form(display_name=FORMULA))
    await client.submit(f"/termine/{session.id}/anmelden")
    await sign_in(client, await make_officer(organisation))

    export = await client.get(f"/verwaltung/termine/{session.id}/teilnehmende.csv")

    cells = [cell for row in csv.reader(io.StringIO(export.text), delimiter=";") for cell in row]
    assert f"'{FORMULA}" in cells
    assert FORMULA not in cells
