"""Each process keeps the taxonomies it read and reads them again only when an
administrator changed them, in whichever process: pages that show the lists run no query
for them, and a change is seen on the next request everywhere."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import textwrap

import pytest

from boerse.lib import queue, shared_version
from boerse.profiles import taxonomy
from boerse.profiles.tables import FieldOfAction
from tests.support.factories import make_opportunity, make_organisation, make_user, sign_in

RENAME_ELSEWHERE = textwrap.dedent(
    """
    import asyncio, sys
    from boerse.lib.db import close_database, open_database
    from boerse.lib import queue
    from boerse.profiles import taxonomy_admin

    async def main():
        await open_database()
        try:
            await taxonomy_admin.rename("fields", int(sys.argv[1]), sys.argv[2])
        finally:
            await queue.close_queue()
            await close_database()

    asyncio.run(main())
    """
)


async def rename_in_another_process(entry_id: int, name: str) -> None:
    """An administrator's rename in a second process (another web replica), sharing the
    tests' database and Redis."""
    result = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-c", RENAME_ELSEWHERE, str(entry_id), name],
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]


async def environment_id() -> int:
    row = await FieldOfAction.select(FieldOfAction.id).where(FieldOfAction.slug == "environment")
    return row[0]["id"]


async def test_a_kept_reading_costs_no_query(count_queries) -> None:
    first = await taxonomy.current()
    with count_queries() as again:
        second = await taxonomy.current()
    assert again.count == 0
    assert second is first


async def test_a_new_token_makes_the_next_call_read_again(count_queries) -> None:
    """What another process's change leaves behind: new rows and a new token in Redis."""
    before = await taxonomy.current()
    assert before.label_of("fields", "environment") == "Umwelt und Klima"
    await FieldOfAction.update({FieldOfAction.name: "Natur und Klima"}).where(
        FieldOfAction.slug == "environment"
    )
    with count_queries() as unchanged:
        still = await taxonomy.current()
    assert unchanged.count == 0 and still is before  # no token moved: nothing is read

    await (await queue.connection()).set(taxonomy.VERSION.key, "from-another-process")

    with count_queries() as reread:
        after = await taxonomy.current()
    assert reread.count == 1
    assert after.label_of("fields", "environment") == "Natur und Klima"
    with count_queries() as kept:
        await taxonomy.current()
    assert kept.count == 0


@pytest.mark.slow
async def test_pages_show_another_process_s_change_on_their_next_request(
    client, count_queries
) -> None:
    offer = await make_opportunity(await make_organisation(), field="environment")
    url = f"/angebote/{offer.id}"
    assert "Umwelt und Klima" in (await client.get(url)).text
    with count_queries() as warm:
        await client.get(url)

    await rename_in_another_process(await environment_id(), "Natur und Klima")

    with count_queries() as changed:
        page = await client.get(url)
    assert "Natur und Klima" in page.text and "Umwelt und Klima" not in page.text
    assert changed.count == warm.count + 1  # the lists read once, then kept again
    listing = await client.get("/angebote")
    assert '<option value="environment"' in listing.text and "Natur und Klima" in listing.text


async def test_without_redis_every_call_reads_the_database(app_on, flaky_redis) -> None:
    """Never stale: while the shared version cannot be asked, the lists are read each time."""
    shared_version._failed_at.clear()
    flaky_redis.start()
    await taxonomy.current()
    flaky_redis.stop()
    await FieldOfAction.update({FieldOfAction.name: "Natur und Klima"}).where(
        FieldOfAction.slug == "environment"
    )
    try:
        reading = await taxonomy.current()
        assert reading.label_of("fields", "environment") == "Natur und Klima"
    finally:
        shared_version._failed_at.clear()


async def test_kept_skills_are_listed_in_each_reader_s_alphabetical_order(client) -> None:
    """One reading serves every language: the order is made per request, from the labels."""
    await sign_in(client, await make_user())
    german = (await client.get("/profil")).text
    english = (await client.get("/profil", params={"lang": "en"})).text
    assert german.index("Texte schreiben") < german.index("Vorlesen")
    assert english.index("Reading aloud") < english.index("Writing texts")
    for page in (german, english):
        assert page.count('name="skills"') == len(taxonomy.CURATED_SKILLS)
