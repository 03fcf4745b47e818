"""Services and rules: access per organisation, the sources a campaign may start from, the
single-use and once-per-account guards, and the address parsing."""

from __future__ import annotations

import datetime as dt

import pytest
from litestar.exceptions import NotFoundException

from boerse.accounts.auth import CurrentUser
from boerse.accounts.tables import Role
from boerse.assessments import rules, services
from boerse.assessments.schemas import parse_addresses
from boerse.assessments.tables import AssessmentAccess, AssessmentParticipant
from boerse.lib.db import write_transaction
from boerse.lib.forms import Form
from tests.assessments.helpers import make_assessment, make_link
from tests.support.factories import make_officer, make_organisation, make_user
from tests.surveys.helpers import make_questionnaire, question


def current(user, role: str | None = None) -> CurrentUser:
    return CurrentUser(
        id=user.id,
        email=user.email,
        display_name="",
        role=role or user.role,
        organisation_id=user.organisation,
        email_verified=True,
    )


async def test_officers_reach_only_their_organisations_assessments() -> None:
    a, b = await make_organisation(), await make_organisation()
    assessment = await make_assessment(a)
    officer_a, officer_b = await make_officer(a), await make_officer(b)
    resident = await make_user()
    admin = await make_user(role=Role.ADMIN)

    row = await rules.access_assessment(current(officer_a), assessment.id, manage=True)
    assert row.title == assessment.title
    assert (await rules.access_assessment(current(admin), assessment.id)).id == assessment.id
    for user in (current(officer_b), current(resident), None):
        with pytest.raises(NotFoundException):
            await rules.access_assessment(user, assessment.id)
    with pytest.raises(NotFoundException):
        await rules.access_assessment(current(officer_a), assessment.id + 1000)
    assert rules.can_create(current(officer_a))
    assert not rules.can_create(current(resident))
    assert not rules.can_create(None)


async def test_sources_are_templates_and_the_own_questionnaires() -> None:
    a, b = await make_organisation(), await make_organisation()
    own = await make_questionnaire([question("rating")], title="Unserer", organisation=a.id)
    foreign = await make_questionnaire([question("rating")], title="Fremder", organisation=b.id)

    values = {choice.value for choice in await services.source_choices(a.id)}

    assert str(own) in values
    assert str(foreign) not in values
    templates = [c for c in await services.source_choices(None) if c.is_template]
    assert len(templates) >= 5
    assert any("(DE)" in c.label for c in templates)


async def test_a_link_is_used_once_and_only_for_its_assessment() -> None:
    organisation = await make_organisation()
    assessment = await make_assessment(organisation, access=AssessmentAccess.LINK)
    other = await make_assessment(organisation, access=AssessmentAccess.LINK)
    token = await make_link(assessment)

    assert await services.link_state(other.id, token) is services.LinkState.UNKNOWN
    assert await services.link_state(assessment.id, token) is services.LinkState.OPEN
    async with write_transaction():
        assert not await services.use_link(other.id, token)
        assert await services.use_link(assessment.id, token)
        assert not await services.use_link(assessment.id, token)
    assert await services.link_state(assessment.id, token) is services.LinkState.ANSWERED


async def test_an_account_is_marked_once() -> None:
    assessment = await make_assessment(await make_organisation())
    user = await make_user()

    async with write_transaction():
        assert await services.mark_participant(assessment.id, user.id)
    async with write_transaction():
        assert not await services.mark_participant(assessment.id, user.id)

    assert await services.has_answered(assessment.id, user.id)
    assert await AssessmentParticipant.count() == 1


async def test_phase_follows_the_period() -> None:
    organisation = await make_organisation()
    now_open = await services.assessment((await make_assessment(organisation)).id)
    later = await services.assessment(
        (await make_assessment(organisation, opened=-dt.timedelta(hours=1))).id
    )
    assert now_open.phase() is services.Phase.OPEN
    assert later.phase() is services.Phase.UPCOMING
    assert now_open.phase(now_open.closes_at) is services.Phase.CLOSED


def test_addresses_are_checked_counted_and_deduplicated() -> None:
    form = Form(values={"addresses": "A@example.org\n\nb@example.org; a@example.org,c@example.org"})
    parsed = parse_addresses(form)
    assert parsed is not None
    assert parsed.addresses == ("a@example.org", "b@example.org", "c@example.org")
    assert parsed.duplicates == 1

    bad = Form(values={"addresses": "ok@example.org\nnicht gültig\n@example.org"})
    assert parse_addresses(bad) is None
    assert "nicht, gültig, @example.org" in bad.errors["addresses"]

    many = Form(values={"addresses": "\n".join(f"p{i}@example.org" for i in range(501))})
    assert parse_addresses(many) is None
    assert "500" in many.errors["addresses"]


def test_a_link_token_never_reaches_a_log_line() -> None:
    from boerse.lib.logs import redact
    from boerse.lib.security import new_token

    slug = services.new_slug()
    for _ in range(50):
        token = new_token()[0]
        line = f'"GET /mitbewerten/{slug}/{token} HTTP/1.1" 200'
        assert token not in redact(line)
    # However short or plain: the segment after the slug is a key; the slug and the public
    # pages stay readable, and so do the officers' pages.
    assert redact(f"/mitbewerten/{slug}/kurz") == f"/mitbewerten/{slug}/[redacted]"
    assert redact(f"/mitbewerten/{slug}/danke") == f"/mitbewerten/{slug}/danke"
    assert redact("/verwaltung/mitbewerten/4/plakat") == "/verwaltung/mitbewerten/4/plakat"


def test_period_rules_of_the_campaign_form() -> None:
    import datetime as dt

    from boerse.assessments.schemas import parse_assessment

    today = dt.date(2026, 11, 30)

    def parsed(opens: str, closes: str, sources: set[str] | None = frozenset({"blank"})):
        form = Form(
            values={"title": "T", "access": "account", "source": "blank"}
            | {"opens_on": opens, "closes_on": closes}
        )
        return parse_assessment(form, today=today, sources=sources, organisations=None), form

    data, _form = parsed("2026-11-30", "30.12.2026")
    assert data is not None
    assert data.closes_at - data.opens_at == dt.timedelta(days=31)
    assert (
        parsed("2026-11-01", "2026-11-20")[1]
        .errors["closes_on"]
        .startswith("Das Ende darf nicht in der Vergangenheit")
    )
    # Editing may end a campaign in the past (to close it early).
    assert parsed("2026-11-01", "2026-11-20", sources=None)[0] is not None
    assert "ein Jahr" in parsed("2026-12-01", "2028-01-01")[1].errors["closes_on"]
    huge = Form(values={"addresses": "x" * 50_000})
    assert parse_addresses(huge) is None
