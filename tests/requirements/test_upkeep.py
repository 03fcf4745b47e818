"""The daily job: one renewal mail per certificate, deletion three months after the last
engagement (or after recording), run on the real worker."""

from __future__ import annotations

import datetime as dt

from boerse.lib.db import utcnow
from boerse.lib.formatting import local
from boerse.lib.queue import enqueue
from boerse.opportunities.tables import Attendance, SignUp, SignUpStatus
from boerse.outbox.tables import OutboxEmail
from boerse.requirements import services, upkeep, validity
from boerse.requirements.tables import RequirementRecord
from tests.requirements.helpers import qualification_id, youth_offer
from tests.support.factories import make_officer, make_session, make_user
from tests.support.fixtures import run_worker
from tests.support.services import Mailbox, body_text


async def run_upkeep() -> None:
    await enqueue("run_requirement_upkeep")
    await run_worker()


async def backdate(record_id: int, days: int) -> None:
    await RequirementRecord.update(
        {RequirementRecord.seen_at: utcnow() - dt.timedelta(days=days)}
    ).where(RequirementRecord.id == record_id)


async def test_a_person_is_asked_once_for_a_new_certificate_weeks_before_it_runs_out(
    mailbox: Mailbox,
) -> None:
    organisation, _opportunity, _session = await youth_offer()
    organisation.contact_name, organisation.contact_email = "Frau Berger", "jugend@example.org"
    await organisation.save()
    officer = await make_officer(organisation)
    soon = await make_user(email="soon@example.org", display_name="Sina")
    later = await make_user(email="later@example.org")
    today = upkeep.today()
    issued_soon = validity.add_months(today, -60) + dt.timedelta(days=20)
    await services.record_certificate(soon.id, issued_soon, False, organisation.id, officer.id)
    issued_later = validity.add_months(today, -60) + dt.timedelta(weeks=7)
    await services.record_certificate(later.id, issued_later, False, organisation.id, officer.id)

    await run_upkeep()
    await run_upkeep()

    assert [m["To"] for m in mailbox.messages] == ["soon@example.org"]
    text = body_text(mailbox.messages[0])
    assert "Frau Berger" in text and "jugend@example.org" in text
    assert "keine Kopie" in text
    assert await OutboxEmail.count() == 1

    # A renewal (a new date of issue) may be asked about again in five years, not now.
    await services.record_certificate(soon.id, today, False, organisation.id, officer.id)
    await run_upkeep()
    assert len(mailbox.messages) == 1


async def test_deletion_day_is_three_months_after_the_last_engagement_in_such_work() -> None:
    organisation, opportunity, _future = await youth_offer()
    officer = await make_officer(organisation)
    person = await make_user()
    record_id = await services.record_certificate(
        person.id, upkeep.today() - dt.timedelta(days=400), False, organisation.id, officer.id
    )
    await backdate(record_id, 300)
    held = await make_session(
        opportunity, starts_in=-dt.timedelta(days=40), duration=dt.timedelta(hours=3)
    )
    await SignUp.insert(
        SignUp(
            session=held.id,
            user=person.id,
            status=SignUpStatus.REGISTERED.value,
            attendance=Attendance.ATTENDED.value,
        )
    )
    last_day = local(held.ends_at).date()
    deletion = validity.add_months(last_day, 3)

    due, _after = await upkeep.records_to_delete(deletion - dt.timedelta(days=1))
    assert due == []
    due, _after = await upkeep.records_to_delete(deletion)
    assert due == [record_id]
    (record,) = await services.records_of(person.id)
    assert record.deletion_day == deletion


async def test_absent_dates_and_other_offers_do_not_keep_a_record() -> None:
    organisation, opportunity, _future = await youth_offer()
    _org2, plain, _s = await youth_offer(await qualification_id())
    officer = await make_officer(organisation)
    person = await make_user()
    record_id = await services.record_certificate(
        person.id, upkeep.today() - dt.timedelta(days=400), False, organisation.id, officer.id
    )
    await backdate(record_id, 100)
    missed = await make_session(opportunity, starts_in=-dt.timedelta(days=10))
    other = await make_session(plain, starts_in=-dt.timedelta(days=5))
    await SignUp.insert(
        SignUp(session=missed.id, user=person.id, status="registered", attendance="absent"),
        SignUp(session=other.id, user=person.id, status="registered", attendance="attended"),
    )
    recorded_on = local(utcnow() - dt.timedelta(days=100)).date()
    (record,) = await services.records_of(person.id)
    assert record.deletion_day == validity.add_months(recorded_on, 3)


async def test_the_job_deletes_records_past_their_day_and_keeps_the_others() -> None:
    organisation, _opportunity, future = await youth_offer()
    officer = await make_officer(organisation)
    idle, engaged, fresh = await make_user(), await make_user(), await make_user()
    issued = upkeep.today() - dt.timedelta(days=500)
    idle_record = await services.record_certificate(
        idle.id, issued, False, organisation.id, officer.id
    )
    engaged_record = await services.record_certificate(
        engaged.id, issued, False, organisation.id, officer.id
    )
    await services.record_certificate(fresh.id, issued, False, organisation.id, officer.id)
    await backdate(idle_record, 120)
    await backdate(engaged_record, 120)
    # Booked for a coming date that needs it: kept until three months after that date.
    await SignUp.insert(SignUp(session=future.id, user=engaged.id, status="registered"))

    await run_upkeep()

    left = {row["user"] for row in await RequirementRecord.select(RequirementRecord.user)}
    assert left == {engaged.id, fresh.id}
