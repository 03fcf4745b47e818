"""The officers' pages: only their organisation's assessments, a form that keeps what was
typed, the public link with its QR code, the poster and single-use links by mail."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import unquote

from boerse.accounts.tables import Role
from boerse.assessments.tables import Assessment, AssessmentAccess, AssessmentLink
from boerse.audit.tables import AuditEntry
from boerse.lib.db import utcnow
from boerse.lib.formatting import local
from boerse.outbox.tables import OutboxEmail
from boerse.questionnaires.tables import Question, Questionnaire
from tests.assessments.helpers import make_assessment
from tests.support.factories import (
    make_officer,
    make_organisation,
    make_user,
    sign_in,
)


def _dates(days_from: int = 0, days_to: int = 20) -> dict[str, str]:
    today = local(utcnow()).date()
    return {
        "opens_on": (today + dt.timedelta(days=days_from)).isoformat(),
        "closes_on": (today + dt.timedelta(days=days_to)).isoformat(),
    }


async def test_list_shows_only_the_own_organisations_assessments(client) -> None:
    mine, theirs = await make_organisation(), await make_organisation()
    await make_assessment(mine, title="Lieblingsplatz Nord")
    await make_assessment(theirs, title="Fremde Bewertung")
    await sign_in(client, await make_officer(mine))

    page = await client.get("/verwaltung/mitbewerten")

    assert page.status_code == 200
    assert "Lieblingsplatz Nord" in page.text
    assert "Fremde Bewertung" not in page.text


async def test_pages_are_for_officers_of_the_organisation(client) -> None:
    theirs = await make_assessment(await make_organisation())
    url = f"/verwaltung/mitbewerten/{theirs.id}"

    anonymous = await client.get(url)
    assert anonymous.status_code == 303
    assert unquote(anonymous.headers["location"]).endswith(f"next={url}")

    await sign_in(client, await make_user())
    assert (await client.get(url)).status_code == 403

    await sign_in(client, await make_officer(await make_organisation()))
    for path in ("", "/bearbeiten", "/plakat"):
        assert (await client.get(url + path)).status_code == 404
    refused = await client.submit(url + "/einladen", {"addresses": "a@example.org"})
    assert refused.status_code == 404
    assert (await client.get("/verwaltung/mitbewerten/999999999")).status_code == 404
    assert await OutboxEmail.count() == 0


async def test_admin_sees_every_assessment(client) -> None:
    theirs = await make_assessment(await make_organisation(), title="Für alle sichtbar")
    await sign_in(client, await make_user(role=Role.ADMIN))

    assert (await client.get(f"/verwaltung/mitbewerten/{theirs.id}")).status_code == 200
    assert "Für alle sichtbar" in (await client.get("/verwaltung/mitbewerten")).text


async def test_create_from_a_template_copies_it_and_shows_link_qr_and_builder(client) -> None:
    organisation = await make_organisation()
    officer = await make_officer(organisation)
    await sign_in(client, officer)
    template = (
        await Questionnaire.select(Questionnaire.id)
        .where(Questionnaire.template_key == "youth_check", Questionnaire.language == "de")
        .first()
    )
    form = await client.get("/verwaltung/mitbewerten/neu")
    assert form.status_code == 200
    assert f'value="{template["id"]}"' in form.text

    created = await client.submit(
        "/verwaltung/mitbewerten/neu",
        {
            "title": "Wie gut ist unser Jugendzentrum?",
            "description": "Sagt uns, was gut läuft.",
            "source": str(template["id"]),
            "access": "link",
            **_dates(),
        },
    )

    assert created.status_code == 303
    assessment = await Assessment.objects().first()
    assert created.headers["location"] == f"/verwaltung/mitbewerten/{assessment.id}"
    assert re.fullmatch(r"[A-Za-z0-9_-]{16}", assessment.slug)
    assert assessment.organisation == organisation.id
    assert assessment.access == AssessmentAccess.LINK
    assert local(assessment.closes_at).time() == dt.time(0, 0)
    copy = await Questionnaire.objects().where(Questionnaire.id == assessment.questionnaire).first()
    assert (copy.organisation, copy.is_template, copy.title) == (
        organisation.id,
        False,
        "Wie gut ist unser Jugendzentrum?",
    )
    assert copy.id != template["id"]
    assert await Question.count().where(Question.version.questionnaire == copy.id) > 0
    entry = await AuditEntry.objects().first()
    assert (entry.action, entry.target_id) == ("assessment_created", assessment.id)

    detail = await client.get(created.headers["location"])
    assert detail.status_code == 200
    assert f"/mitbewerten/{assessment.slug}" in detail.text
    assert 'src="data:image/svg+xml' in detail.text
    assert "E-Mail-Adressen" in detail.text
    assert f'href="/verwaltung/frageboegen/{copy.id}"' in detail.text
    assert f'href="/verwaltung/frageboegen/{copy.id}/ergebnisse' in detail.text


async def test_create_blank_and_period_errors_keep_what_was_typed(client) -> None:
    await sign_in(client, await make_officer())

    refused = await client.submit(
        "/verwaltung/mitbewerten/neu",
        {
            "title": "Beschwerde-Feedback",
            "description": "Wie wurde Ihre Beschwerde bearbeitet?",
            "source": "blank",
            "access": "account",
            **_dates(10, 2),
        },
    )
    assert refused.status_code == 400
    assert "Bitte prüfen Sie Ihre Eingaben" in refused.text
    assert 'value="Beschwerde-Feedback"' in refused.text
    assert "Wie wurde Ihre Beschwerde bearbeitet?" in refused.text
    assert "nicht vor dem Beginn" in refused.text

    tampered = await client.submit(
        "/verwaltung/mitbewerten/neu",
        {"title": "", "source": "999999", "access": "alle", "opens_on": "morgen", **{}},
    )
    assert tampered.status_code == 400
    assert tampered.text.count("kern-error") >= 4
    assert await Assessment.count() == 0

    created = await client.submit(
        "/verwaltung/mitbewerten/neu",
        {"title": "Beschwerde-Feedback", "source": "blank", "access": "account", **_dates()},
    )
    assert created.status_code == 303
    assert await Assessment.count() == 1


async def test_another_organisations_questionnaire_cannot_be_copied(client) -> None:
    from tests.surveys.helpers import make_questionnaire, question

    other = await make_organisation()
    foreign = await make_questionnaire([question("rating")], organisation=other.id)
    await sign_in(client, await make_officer())

    form = await client.get("/verwaltung/mitbewerten/neu")
    assert f'value="{foreign}"' not in form.text
    refused = await client.submit(
        "/verwaltung/mitbewerten/neu",
        {"title": "Kopie", "source": str(foreign), "access": "account", **_dates()},
    )
    assert refused.status_code == 400
    assert await Assessment.count() == 0


async def test_edit_changes_period_and_keeps_typed_values_on_error(client) -> None:
    organisation = await make_organisation()
    assessment = await make_assessment(organisation, title="Alt")
    await sign_in(client, await make_officer(organisation))
    url = f"/verwaltung/mitbewerten/{assessment.id}/bearbeiten"

    form = await client.get(url)
    assert 'value="Alt"' in form.text
    bad = await client.submit(url, {"title": "Neu", "access": "account", "opens_on": "x"})
    assert bad.status_code == 400
    assert 'value="Neu"' in bad.text
    saved = await client.submit(url, {"title": "Neu", "access": "account", **_dates(-3, 40)})
    assert saved.status_code == 303
    row = await Assessment.objects().first()
    assert row.title == "Neu"
    assert (local(row.closes_at).date() - local(utcnow()).date()).days == 41


async def test_poster_shows_title_qr_link_and_period(client) -> None:
    organisation = await make_organisation()
    assessment = await make_assessment(organisation, title="Plakat-Test")
    await sign_in(client, await make_officer(organisation))

    poster = await client.get(f"/verwaltung/mitbewerten/{assessment.id}/plakat")

    assert poster.status_code == 200
    assert "Plakat-Test" in poster.text
    assert 'class="poster__qr" src="data:image/svg+xml' in poster.text
    assert f"/mitbewerten/{assessment.slug}</p>" in poster.text
    assert "Mitmachen vom" in poster.text


async def test_invitations_report_invalid_addresses_and_keep_the_text(client) -> None:
    organisation = await make_organisation()
    assessment = await make_assessment(organisation, access=AssessmentAccess.LINK)
    await sign_in(client, await make_officer(organisation))
    url = f"/verwaltung/mitbewerten/{assessment.id}/einladen"
    typed = "mia@example.org\nkein-at-zeichen\nnoah@example.org"

    refused = await client.submit(url, {"addresses": typed})

    assert refused.status_code == 400
    assert "kein-at-zeichen" in refused.text
    assert "mia@example.org\nkein-at-zeichen" in refused.text
    assert await OutboxEmail.count() == 0
    assert await AssessmentLink.count() == 0
    empty = await client.submit(url, {"addresses": "  \n "})
    assert empty.status_code == 400


async def test_invitations_go_once_per_address_and_store_no_address(client) -> None:
    organisation = await make_organisation()
    assessment = await make_assessment(organisation, access=AssessmentAccess.LINK)
    await sign_in(client, await make_officer(organisation))
    url = f"/verwaltung/mitbewerten/{assessment.id}/einladen"

    sent = await client.submit(
        url, {"addresses": "Mia@Example.org\nnoah@example.org\nmia@example.org"}
    )

    assert sent.status_code == 303
    assert sent.headers["location"].endswith("?sent=2&already=0&duplicates=1#einladen")
    report = await client.get(sent.headers["location"])
    assert "2 Einladungen werden verschickt." in report.text
    assert "doppelt" in report.text
    again = await client.submit(url, {"addresses": "noah@example.org\nlea@example.org"})
    assert again.headers["location"].endswith("?sent=1&already=1&duplicates=0#einladen")

    assert sorted(row["recipient"] for row in await OutboxEmail.select(OutboxEmail.recipient)) == [
        "lea@example.org",
        "mia@example.org",
        "noah@example.org",
    ]
    assert await AssessmentLink.count() == 3
    keys = [row["dedupe_key"] for row in await OutboxEmail.select(OutboxEmail.dedupe_key)]
    assert all(key.startswith(f"assessment_link:{assessment.id}:") for key in keys)
    assert not any("@" in key for key in keys)
    entries = (
        await AuditEntry.select()
        .where(AuditEntry.action == "assessment_invited")
        .order_by(AuditEntry.id)
    )
    assert [entry["quantity"] for entry in entries] == [2, 1]
    assert not any("@" in str(entry) for entry in entries)


async def test_no_invitations_for_account_access_or_after_the_end(client) -> None:
    organisation = await make_organisation()
    open_to_all = await make_assessment(organisation)
    ended = await make_assessment(
        organisation,
        access=AssessmentAccess.LINK,
        opened=dt.timedelta(days=30),
        closes_in=-dt.timedelta(days=1),
    )
    await sign_in(client, await make_officer(organisation))

    for assessment in (open_to_all, ended):
        refused = await client.submit(
            f"/verwaltung/mitbewerten/{assessment.id}/einladen", {"addresses": "a@example.org"}
        )
        assert refused.status_code == 400
        assert "Bitte prüfen Sie Ihre Eingaben" in refused.text
    assert "a@example.org" in refused.text  # the ended one shows the form with the text
    assert await OutboxEmail.count() == 0


async def test_list_and_public_list_cost_the_same_queries_for_one_or_many(
    client, count_queries
) -> None:
    organisation = await make_organisation()
    await sign_in(client, await make_officer(organisation))
    await make_assessment(organisation)

    costs = []
    for extra in (0, 4):
        for _ in range(extra):
            await make_assessment(organisation)
        with count_queries() as manage:
            assert (await client.get("/verwaltung/mitbewerten")).status_code == 200
        with count_queries() as public:
            assert (await client.get("/mitbewerten")).status_code == 200
        costs.append((manage.count, public.count))

    assert costs[0] == costs[1]


async def test_an_administrator_chooses_the_organisation(client) -> None:
    organisation = await make_organisation(name="Seniorenbüro")
    await sign_in(client, await make_user(role=Role.ADMIN))

    form = await client.get("/verwaltung/mitbewerten/neu")
    assert "Seniorenbüro" in form.text
    missing = await client.submit(
        "/verwaltung/mitbewerten/neu",
        {"title": "Sitzbänke", "source": "blank", "access": "account", **_dates()},
    )
    assert missing.status_code == 400
    created = await client.submit(
        "/verwaltung/mitbewerten/neu",
        {
            "title": "Sitzbänke",
            "source": "blank",
            "access": "account",
            "organisation": str(organisation.id),
            **_dates(),
        },
    )
    assert created.status_code == 303
    assert (await Assessment.objects().first()).organisation == organisation.id
