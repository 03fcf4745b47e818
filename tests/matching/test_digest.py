"""The weekly digest: opt-in, new matching offers only, one email per person and week,
whatever runs when — through the real worker and the real SMTP server."""

from __future__ import annotations

import asyncio
import datetime as dt

from boerse.lib.db import utcnow
from boerse.lib.formatting import TOWN_TIMEZONE
from boerse.lib.queue import enqueue
from boerse.matching import digest
from boerse.matching.tables import DigestSent
from boerse.opportunities.tables import Opportunity
from boerse.outbox.tables import OutboxEmail
from boerse.profiles.tables import Profile
from tests.matching.test_routes import make_offer, make_resident, refresh_index
from tests.support.factories import make_organisation, make_user, sign_in
from tests.support.fixtures import links_in, run_worker
from tests.support.services import Mailbox, body_text

DAY = dt.timedelta(days=1)


def digest_tag(page: str) -> str:
    """The rest of the digest checkbox's `<input>` tag, where `checked` would stand."""
    return page.split('name="digest_ok"')[1].split(">")[0]


async def run_digest_job() -> None:
    """Enqueue the job by name and let the real worker run it and deliver its mails."""
    assert await enqueue("send_weekly_digest")
    await run_worker()


async def test_two_runs_send_one_digest_per_resident_and_none_to_those_who_opted_out(
    mailbox: Mailbox,
) -> None:
    organisation = await make_organisation()
    for number in range(7):
        await make_offer(organisation, f"Neue Baumpflege {number}")
    await make_offer(organisation, "Alte Baumpflege", published_ago=10 * DAY)
    await make_resident("Anna", email="anna@example.org", digest_ok=True)
    await make_resident("Bernd", email="bernd@example.org", digest_ok=True)
    await make_resident("Olaf", email="olaf@example.org", digest_ok=False)
    await refresh_index()

    await run_digest_job()
    await run_digest_job()

    assert sorted(message["To"] for message in mailbox.messages) == [
        "anna@example.org",
        "bernd@example.org",
    ]
    assert set(mailbox.subjects()) == {"Neue Angebote für Sie in dieser Woche"}
    text = body_text(mailbox.to("anna@example.org")[0])
    assert "Guten Tag Anna," in text
    assert text.count("Neue Baumpflege") == digest.DIGEST_SIZE
    assert "Alte Baumpflege" not in text
    assert text.count("Warum es zu Ihnen passt:") == digest.DIGEST_SIZE
    assert any(link.endswith("/profil") for link in links_in(text))
    week = digest.iso_week(utcnow())
    assert await DigestSent.count().where(DigestSent.week == week) == 2
    keys = {row["dedupe_key"] for row in await OutboxEmail.select(OutboxEmail.dedupe_key)}
    assert all(key.startswith("digest:") and key.endswith(f":{week}") for key in keys)


async def test_nothing_new_means_no_email_and_a_later_run_still_sends(mailbox: Mailbox) -> None:
    organisation = await make_organisation()
    await make_offer(organisation, "Alte Baumpflege", published_ago=8 * DAY)
    await make_offer(organisation, "Neues in München", postcode="80331")
    await make_resident("Anna", email="anna@example.org", digest_ok=True)
    await refresh_index()

    assert (await digest.send_weekly_digest()).queued == 0
    assert await DigestSent.count() == 0

    await make_offer(organisation, "Neue Baumpflege")
    await refresh_index()
    await run_digest_job()

    assert [message["To"] for message in mailbox.messages] == ["anna@example.org"]
    assert "Neue Baumpflege" in body_text(mailbox.messages[0])
    assert "Neues in München" not in body_text(mailbox.messages[0])


async def test_a_new_week_sends_again_with_that_weeks_news() -> None:
    organisation = await make_organisation()
    await make_offer(organisation, "Neue Baumpflege")
    later = await make_offer(organisation, "Baumpflege der Folgewoche")
    await make_resident("Anna", digest_ok=True)
    now = utcnow()
    await Opportunity.update({Opportunity.published_at: now + 6 * DAY}).where(
        Opportunity.id == later.id
    )
    await refresh_index()

    assert (await digest.send_weekly_digest(now)).queued == 1
    assert (await digest.send_weekly_digest(now)).queued == 0
    assert (await digest.send_weekly_digest(now + 7 * DAY)).queued == 1
    assert (await digest.send_weekly_digest(now + 7 * DAY)).queued == 0

    weeks = sorted(row["week"] for row in await DigestSent.select(DigestSent.week))
    assert weeks == [digest.iso_week(now), digest.iso_week(now + 7 * DAY)]
    assert await OutboxEmail.count() == 2


def test_week_and_send_time_follow_the_town_clock() -> None:
    # Sunday 23:30 UTC in summer is already Monday 01:30 in Leipzig.
    late_sunday = dt.datetime(2026, 6, 7, 23, 30, tzinfo=dt.UTC)
    assert digest.iso_week(late_sunday) == "2026-W24"
    assert digest.iso_week(dt.datetime(2026, 6, 7, 12, 0, tzinfo=dt.UTC)) == "2026-W23"
    monday = dt.datetime(2026, 6, 8, tzinfo=TOWN_TIMEZONE)
    assert not digest.is_digest_time(monday.replace(hour=6, minute=59))
    assert digest.is_digest_time(monday.replace(hour=7))
    assert digest.is_digest_time(monday.replace(hour=22))
    assert not digest.is_digest_time((monday + DAY).replace(hour=7))
    # Winter: 06:00 UTC is 07:00 in Leipzig.
    assert digest.is_digest_time(dt.datetime(2026, 1, 5, 6, 0, tzinfo=dt.UTC))
    assert not digest.is_digest_time(dt.datetime(2026, 1, 5, 5, 59, tzinfo=dt.UTC))


async def test_the_profile_form_opts_in_and_out(client) -> None:
    user = await make_user(display_name="Anna")
    await sign_in(client, user)
    form = {
        "display_name": "Anna",
        "postcode": "04109",
        "travel_radius_km": "10",
        "hours_per_month": "4",
        "languages": "de",
    }

    unticked = await client.get("/profil")
    await client.submit("/profil", {**form, "digest_ok": "on"})
    opted_in = await Profile.select(Profile.digest_ok).where(Profile.user == user.id).first()
    page = await client.get("/profil")
    await client.submit("/profil", form)
    opted_out = await Profile.select(Profile.digest_ok).where(Profile.user == user.id).first()

    assert opted_in == {"digest_ok": True}
    assert opted_out == {"digest_ok": False}
    assert "checked" not in digest_tag(unticked.text)
    assert "checked" in digest_tag(page.text)


async def test_a_bad_profile_form_keeps_the_digest_tick(client) -> None:
    await sign_in(client, await make_user())

    page = await client.submit(
        "/profil", {"display_name": "", "postcode": "04109", "digest_ok": "on"}
    )

    assert page.status_code == 400
    assert "checked" in digest_tag(page.text)


async def test_two_runs_at_the_same_moment_send_one_digest() -> None:
    organisation = await make_organisation()
    await make_offer(organisation, "Neue Baumpflege")
    await make_resident("Anna", digest_ok=True)
    await refresh_index()

    results = await asyncio.gather(digest.send_weekly_digest(), digest.send_weekly_digest())

    assert sorted(run.queued for run in results) == [0, 1]
    assert await DigestSent.count() == 1
    assert await OutboxEmail.count() == 1


async def test_a_run_out_of_time_says_where_to_go_on_and_always_progresses() -> None:
    organisation = await make_organisation()
    await make_offer(organisation, "Neue Baumpflege")
    people = [await make_resident(name, digest_ok=True) for name in ("Anna", "Bernd", "Cem")]
    await refresh_index()

    first = await digest.send_weekly_digest(budget_s=0)
    second = await digest.send_weekly_digest(after_user=first.resume_after, budget_s=0)
    third = await digest.send_weekly_digest(after_user=second.resume_after, budget_s=0)

    assert (first.queued, first.resume_after) == (1, people[0].id)
    assert (second.queued, second.resume_after) == (1, people[1].id)
    assert (third.queued, third.resume_after) == (1, None)
    assert await DigestSent.count() == 3
