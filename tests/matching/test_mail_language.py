"""Invitations and the weekly digest are written in the resident's language, reasons
included, whatever language the inviting officer's pages are in."""

from __future__ import annotations

from boerse.accounts.tables import User
from tests.matching.test_digest import run_digest_job
from tests.matching.test_routes import invite_url, make_offer, make_resident, refresh_index
from tests.support.factories import make_officer, make_organisation, sign_in
from tests.support.fixtures import run_worker
from tests.support.services import Mailbox, body_text


async def speaks_english(user: User) -> None:
    await User.update({User.language: "en"}).where(User.id == user.id)


async def test_officer_on_english_pages_invites_each_resident_in_their_language(
    client, mailbox: Mailbox
) -> None:
    organisation = await make_organisation("Grünflächenamt")
    offer = await make_offer(organisation, "Bäume pflanzen im Rosental")
    anna = await make_resident("Anna Schneider", email="anna@example.org")
    tom = await make_resident("Tom Baker", email="tom@example.org")
    await speaks_english(tom)
    await refresh_index()
    await client.get("/?lang=en")
    await sign_in(client, await make_officer(organisation, display_name="Frau Berger"))

    await client.submit(invite_url(offer, anna))
    await client.submit(invite_url(offer, tom))
    await run_worker()

    [german] = mailbox.to("anna@example.org")
    [english] = mailbox.to("tom@example.org")
    assert sorted(mailbox.subjects()) == [
        "Einladung zum Mitmachen: Bäume pflanzen im Rosental",
        "Invitation to take part: Bäume pflanzen im Rosental",
    ]
    assert "Guten Tag Anna," in body_text(german)
    assert "Ihr Interesse: Umwelt und Klima" in body_text(german)
    assert "Hello Tom," in body_text(english)
    assert "Your interest: Environment and climate" in body_text(english)


async def test_the_digest_is_in_each_residents_language(mailbox: Mailbox) -> None:
    organisation = await make_organisation()
    await make_offer(organisation, "Neue Baumpflege")
    await make_resident("Anna", email="anna@example.org", digest_ok=True)
    tom = await make_resident("Tom", email="tom@example.org", digest_ok=True)
    await speaks_english(tom)
    await refresh_index()

    await run_digest_job()

    assert sorted(mailbox.subjects()) == [
        "Neue Angebote für Sie in dieser Woche",
        "New opportunities for you this week",
    ]
    assert "Warum es zu Ihnen passt:" in body_text(mailbox.to("anna@example.org")[0])
    english = body_text(mailbox.to("tom@example.org")[0])
    assert "Why it suits you:" in english
    assert "Your interest: Environment and climate" in english
