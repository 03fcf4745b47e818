"""The respondents' side: the public list and landing page, and a clear page with the right
status for every way a link can be wrong, never a 500."""

from __future__ import annotations

import datetime as dt

import pytest

from boerse.assessments.tables import AssessmentAccess, LinkStatus
from boerse.questionnaires.tables import Response
from tests.assessments.helpers import make_assessment, make_link, pages
from tests.support.factories import make_organisation, make_user, sign_in

UPCOMING = {"opened": -dt.timedelta(days=3), "closes_in": dt.timedelta(days=10)}
CLOSED = {"opened": dt.timedelta(days=30), "closes_in": -dt.timedelta(days=2)}


async def test_public_list_shows_open_assessments_only(client) -> None:
    organisation = await make_organisation(name="Jugendamt")
    await make_assessment(organisation, title="Läuft gerade")
    await make_assessment(organisation, title="Kommt noch", **UPCOMING)
    await make_assessment(organisation, title="Schon vorbei", **CLOSED)

    page = await client.get("/mitbewerten")

    assert page.status_code == 200
    assert "Läuft gerade" in page.text
    assert "Jugendamt" in page.text
    assert "Kommt noch" not in page.text
    assert "Schon vorbei" not in page.text


async def test_landing_page_explains_period_and_anonymity(client) -> None:
    assessment = await make_assessment(await make_organisation(), title="Lieblingsplatz")

    page = await client.get(f"/mitbewerten/{assessment.slug}")

    assert page.status_code == 200
    assert "Lieblingsplatz" in page.text
    assert "Welcher Ort in der Stadt ist Ihnen der liebste?" in page.text
    assert "anonym gespeichert" in page.text
    assert "Zusammenfassungen" in page.text
    assert f'href="/mitbewerten/{assessment.slug}/antworten"' in page.text


async def test_landing_before_and_after_the_period(client) -> None:
    organisation = await make_organisation()
    upcoming = await make_assessment(organisation, **UPCOMING)
    closed = await make_assessment(organisation, **CLOSED)

    before = await client.get(f"/mitbewerten/{upcoming.slug}")
    after = await client.get(f"/mitbewerten/{closed.slug}")

    assert before.status_code == 200
    assert "beginnt am" in before.text
    assert "/antworten" not in before.text
    assert after.status_code == 410
    assert "ist beendet" in after.text


@pytest.mark.parametrize(
    "path",
    [
        "/mitbewerten/unbekannt",
        "/mitbewerten/%27%3B--",
        "/mitbewerten/" + "x" * 300,
        "/mitbewerten/unbekannt/antworten",
        "/mitbewerten/unbekannt/danke",
        "/mitbewerten/unbekannt/einToken",
    ],
)
async def test_wrong_slug_is_a_clear_404(client, path: str) -> None:
    page = await client.get(path)

    assert page.status_code == 404
    assert "Bewertung nicht gefunden" in page.text


async def test_answering_outside_the_period(client) -> None:
    organisation = await make_organisation()
    upcoming = await make_assessment(organisation, **UPCOMING)
    closed = await make_assessment(organisation, **CLOSED)
    await sign_in(client, await make_user())

    assert (await client.get(f"/mitbewerten/{upcoming.slug}/antworten")).status_code == 409
    late = await client.submit(f"/mitbewerten/{closed.slug}/antworten", {"page": "1"})
    assert late.status_code == 410
    assert "ist beendet" in late.text

    closed_link = await make_assessment(organisation, access=AssessmentAccess.LINK, **CLOSED)
    token = await make_link(closed_link)
    assert (await client.get(f"/mitbewerten/{closed_link.slug}/{token}")).status_code == 410
    assert await Response.count() == 0


async def test_bad_tokens(client) -> None:
    organisation = await make_organisation()
    assessment = await make_assessment(organisation, access=AssessmentAccess.LINK)
    other = await make_assessment(organisation, access=AssessmentAccess.LINK)
    token = await make_link(assessment)
    foreign = await make_link(other)
    used = await make_link(assessment, LinkStatus.ANSWERED)
    base = f"/mitbewerten/{assessment.slug}"

    for bad in (token[:-1] + ("A" if token[-1] != "A" else "B"), foreign, "x" * 200, "kurz"):
        page = await client.get(f"{base}/{bad}")
        assert page.status_code == 404, bad
        assert "Link ungültig" in page.text
        assert (await client.submit(f"{base}/{bad}", {"page": "1"})).status_code == 404
    assert (await client.get(f"{base}/{used}")).status_code == 410
    assert (await client.get(f"{base}/{token}")).status_code == 200
    assert await Response.count() == 0


async def test_access_modes_do_not_mix(client) -> None:
    organisation = await make_organisation()
    by_account = await make_assessment(organisation)
    by_link = await make_assessment(organisation, access=AssessmentAccess.LINK)
    await sign_in(client, await make_user())

    needs_link = await client.get(f"/mitbewerten/{by_link.slug}/antworten")
    assert needs_link.status_code == 403
    assert "persönlichen Link" in needs_link.text
    landing = await client.get(f"/mitbewerten/{by_link.slug}")
    assert "/antworten" not in landing.text
    token = await make_link(by_link)
    assert (await client.get(f"/mitbewerten/{by_account.slug}/{token}")).status_code == 404


async def test_page_numbers_that_are_not_next_store_nothing(client) -> None:
    assessment = await make_assessment(await make_organisation())
    first, second = await pages(assessment)
    await sign_in(client, await make_user())
    url = f"/mitbewerten/{assessment.slug}/antworten"

    for page in ("2", "0", "abc", "", "99999999999999999999"):
        skipped = await client.submit(url, {**second, "page": page})
        assert skipped.status_code == 303
    assert await Response.count() == 0
    tampered = await client.submit(url, {**first, next(iter(first.keys() - {"page"})): "mond"})
    assert tampered.status_code == 400
    assert "angebotenen Antworten" in tampered.text
    assert await Response.count() == 0


async def test_an_assessment_without_questions_is_not_ready(client) -> None:
    assessment = await make_assessment(await make_organisation(), questions=[])
    await sign_in(client, await make_user())

    page = await client.get(f"/mitbewerten/{assessment.slug}/antworten")

    assert page.status_code == 409
    assert "noch keine Fragen" in page.text
