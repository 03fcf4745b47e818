"""Result dashboards: the officer's detailed view and the public pages behind the 5-answer threshold."""

from __future__ import annotations

from boerse.accounts.tables import Role
from boerse.dashboards.rollup import refresh_rollups
from boerse.opportunities.tables import Attendance, Mode, OpportunityStatus, SignUpStatus
from tests.dashboards.answers import (
    QuestionSpec,
    add_version,
    answer_feedback,
    choice,
    feedback_plan,
    respond,
)
from tests.support.factories import (
    make_officer,
    make_opportunity,
    make_organisation,
    make_user,
    sign_in,
)
from tests.surveys.helpers import make_invitation, make_signup, past_session


def figure(key: str, value: str) -> str:
    """A key figure as rendered (whitespace collapsed), its explanation left out."""
    return (
        f'<dt class="kern-description-list-item__key">{key}</dt> '
        f'<dd class="kern-description-list-item__value"><span class="figure-value">{value}</span>'
    )


async def opportunity_with_answers(organisation=None, answers: int = 2, **fields):
    """Three invited participants (two attended, 2.5 + 1.5 hours), a cancellation, and answers."""
    opportunity = await make_opportunity(organisation or await make_organisation(), **fields)
    session = await past_session(opportunity)
    for hours in (2.5, 1.5):
        await make_invitation(
            await make_signup(session, attendance=Attendance.ATTENDED, hours=hours)
        )
    await make_invitation(await make_signup(session))
    await make_signup(session, status=SignUpStatus.CANCELLED)
    for index in range(answers):
        await answer_feedback(
            opportunity,
            overall=5 if index % 2 == 0 else 4,
            organised=4,
            difference=3 if index % 2 == 0 else 1,
            comment=f"Anmerkung Nummer {index}",
        )
    return opportunity


async def test_officer_sees_figures_distribution_and_comments(client) -> None:
    organisation = await make_organisation()
    opportunity = await opportunity_with_answers(organisation, answers=4, title="Rikscha-Fahrten")
    await sign_in(client, await make_officer(organisation))

    response = await client.get(f"/verwaltung/angebote/{opportunity.id}/ergebnisse")

    assert response.status_code == 200
    page = " ".join(response.text.split())
    assert "Ergebnisse: Rikscha-Fahrten" in page
    assert figure("Anmeldungen", "3") in page
    assert figure("Als anwesend eingetragen", "2") in page
    assert figure("Eingetragene Stunden", "4") in page
    assert figure("Umfragen verschickt", "3") in page
    assert figure("Antworten", "4") in page
    # More answers than invitations (a forwarded link was answered too) is capped at 100 %.
    assert figure("Rücklaufquote", "100&nbsp;%") in page
    assert figure("Gesamtbewertung im Durchschnitt", "4,5 von 5") in page
    # Two 5s and two 4s out of four: 50 % each, as text next to the bar and in the table.
    assert "5 – sehr gut: <strong>2</strong> (50&nbsp;%)" in page
    assert '<rect width="50.0" height="1"/>' in page
    assert "Zustimmung (++ oder +): 50&nbsp;%" in page  # made a difference: two +, two −−
    assert (
        '<th scope="row" class="kern-table__cell"><span aria-hidden="true">++</span> trifft voll zu</th>'
        in page
    )
    assert "Anmerkung Nummer 0" in page and "Anmerkung Nummer 3" in page


async def test_officer_sees_only_counts_below_the_minimum_group_size(client) -> None:
    """With one or two answers an officer who knows who attended could read a person's
    anonymous rating and comment: only the counts are shown until three answered."""
    organisation = await make_organisation()
    await sign_in(client, await make_officer(organisation))
    for answers in (1, 2):
        opportunity = await opportunity_with_answers(organisation, answers=answers)

        page = " ".join(
            (await client.get(f"/verwaltung/angebote/{opportunity.id}/ergebnisse")).text.split()
        )

        assert figure("Antworten", str(answers)) in page
        assert figure("Gesamtbewertung im Durchschnitt", "erst ab 3 Antworten") in page
        assert "Die Auswertung und die Freitexte sehen Sie ab 3 Antworten" in page
        assert "Anmerkung Nummer" not in page
        assert "sehr gut" not in page and "trifft voll zu" not in page

    third = await opportunity_with_answers(organisation, answers=3)
    page = (await client.get(f"/verwaltung/angebote/{third.id}/ergebnisse")).text
    assert "Anmerkung Nummer 2" in page and "sehr gut" in page


async def test_only_officers_of_the_organisation_and_admins_see_results(client) -> None:
    opportunity = await opportunity_with_answers()
    url = f"/verwaltung/angebote/{opportunity.id}/ergebnisse"

    anonymous = await client.get(url)
    assert anonymous.status_code == 303
    assert anonymous.headers["location"].startswith("/konto/anmelden")

    await sign_in(client, await make_user())
    assert (await client.get(url)).status_code == 403

    await sign_in(client, await make_officer(await make_organisation()))
    assert (await client.get(url)).status_code == 403

    await sign_in(client, await make_user(role=Role.ADMIN))
    assert (await client.get(url)).status_code == 200
    assert (await client.get("/verwaltung/angebote/999999/ergebnisse")).status_code == 404


async def test_officer_page_runs_a_fixed_number_of_queries(client, count_queries) -> None:
    organisation = await make_organisation()
    few = await opportunity_with_answers(organisation, answers=3)
    many = await opportunity_with_answers(organisation, answers=12)
    await sign_in(client, await make_officer(organisation))

    with count_queries() as small:
        assert (await client.get(f"/verwaltung/angebote/{few.id}/ergebnisse")).status_code == 200
    with count_queries() as large:
        assert (await client.get(f"/verwaltung/angebote/{many.id}/ergebnisse")).status_code == 200

    assert small.count == large.count


async def test_public_results_appear_from_five_answers_without_comments(client) -> None:
    four = await opportunity_with_answers(answers=4, title="Vier Antworten")
    five = await opportunity_with_answers(answers=5, title="Fünf Antworten")

    hidden = await client.get(f"/ergebnisse/{four.id}")
    shown = await client.get(f"/ergebnisse/{five.id}")

    assert hidden.status_code == 200
    assert "Noch nicht genug Antworten" in hidden.text
    assert "mindestens 5 Teilnehmende" in hidden.text
    assert "Zustimmung" not in hidden.text and "Antworten</dt>" not in hidden.text
    assert shown.status_code == 200
    assert "Fünf Antworten" in shown.text
    assert "Meine Mitwirkung hat etwas bewirkt." in shown.text
    assert "Anmerkung Nummer" not in shown.text


async def test_public_results_of_drafts_and_unknown_offers_do_not_exist(client) -> None:
    draft = await opportunity_with_answers(answers=6, status=OpportunityStatus.DRAFT)

    assert (await client.get(f"/ergebnisse/{draft.id}")).status_code == 404
    assert (await client.get("/ergebnisse/999999")).status_code == 404


async def test_public_overview_lists_only_offers_past_the_threshold(client) -> None:
    await opportunity_with_answers(answers=4, title="Vier Antworten")
    five = await opportunity_with_answers(answers=5, title="Fünf Antworten")
    await refresh_rollups(full=True)  # the overview reads the worker's rollups

    response = await client.get("/ergebnisse")

    assert response.status_code == 200
    assert f'href="/ergebnisse/{five.id}">Fünf Antworten</a>' in response.text
    assert "Vier Antworten" not in response.text
    for mode in ("Mit-Steuern", "Mit-Entwickeln", "Mit-Umsetzen", "Mit-Bewerten"):
        assert mode in response.text


async def test_public_pages_run_a_fixed_number_of_queries(client, count_queries) -> None:
    first = await opportunity_with_answers(answers=5)
    with count_queries() as small_overview:
        await client.get("/ergebnisse")
    with count_queries() as small_detail:
        await client.get(f"/ergebnisse/{first.id}")
    for mode in (Mode.CO_ASSESS, Mode.CO_DESIGN, Mode.CO_COMMISSION):
        await opportunity_with_answers(answers=7, mode=mode)
    with count_queries() as large_overview:
        await client.get("/ergebnisse")
    large = await opportunity_with_answers(answers=15)
    with count_queries() as large_detail:
        await client.get(f"/ergebnisse/{large.id}")

    assert small_overview.count == large_overview.count
    assert small_detail.count == large_detail.count


async def test_key_figures_say_what_they_count(client) -> None:
    """Surveys go to everyone booked; attendance is what officers entered. Before anyone
    entered it, the page says so instead of "0 present" beside "3 surveys sent"."""
    organisation = await make_organisation()
    opportunity = await make_opportunity(organisation)
    session = await past_session(opportunity)
    for _ in range(3):
        await make_invitation(await make_signup(session))
    await sign_in(client, await make_officer(organisation))

    page = " ".join(
        (await client.get(f"/verwaltung/angebote/{opportunity.id}/ergebnisse")).text.split()
    )

    assert figure("Als anwesend eingetragen", "noch nicht eingetragen") in page
    assert figure("Umfragen verschickt", "3") in page
    assert "an alle Angemeldeten nach ihrem Termin, außer an als abwesend Eingetragene" in page
    assert "Antworten je verschickte Umfrage" in page


async def test_public_page_shows_a_version_only_from_five_answers_and_never_texts(client) -> None:
    opportunity = await opportunity_with_answers(answers=5, title="Zwei Fassungen")
    first = await feedback_plan(opportunity)
    second = await add_version(
        first.questionnaire_id,
        [QuestionSpec("rating", "Wie war es?"), QuestionSpec("long_text", "Und sonst?")],
    )
    for value in (5, 4):
        await respond(
            second,
            [choice(second.questions[0].id, value)],
            opportunity_id=opportunity.id,
        )

    latest = " ".join((await client.get(f"/ergebnisse/{opportunity.id}")).text.split())
    earlier = " ".join((await client.get(f"/ergebnisse/{opportunity.id}?version=1")).text.split())

    assert figure("Antworten", "7") in latest  # all versions together
    assert "Die Auswertung dieser Fassung erscheint ab 5 Antworten." in latest
    assert "Wie war es?" not in latest
    assert "Meine Mitwirkung hat etwas bewirkt." in earlier
    assert "Anmerkung Nummer" not in earlier and "Freitext" not in earlier
