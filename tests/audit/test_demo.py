"""The demo town's audit log: the admin sees officers' work on the first start."""

from __future__ import annotations

from boerse.accounts.tables import Role, User
from boerse.audit.actions import Action
from boerse.demo.loader import load_demo
from boerse.demo.town import ADMIN
from tests.audit.helpers import assert_nothing_personal, entries
from tests.support.factories import sign_in


async def test_the_demo_admin_finds_a_log_of_staff_work(client) -> None:
    assert await load_demo() is True
    residents = await User.select(User.email, User.display_name).where(
        User.role == Role.RESIDENT.value
    )

    rows = await entries()
    kinds = {row["action"] for row in rows}
    assert {
        Action.STAFF_INVITED,
        Action.OPPORTUNITY_CREATED,
        Action.OPPORTUNITY_PUBLISHED,
        Action.ATTENDANCE_RECORDED,
        Action.PARTICIPANTS_EXPORTED,
    } <= kinds
    staff_rows = [row for row in rows if row["actor_id"] is not None]
    assert len(staff_rows) >= 10
    assert all(row["actor_label"] and row["client_network"] for row in staff_rows)
    await assert_nothing_personal(*(row["display_name"] for row in residents))

    admin = await User.objects().where(User.email == ADMIN.email).first()
    await sign_in(client, admin)
    page = (await client.get("/admin/protokoll")).text
    assert "Anwesenheit erfasst" in page and "Angebot veröffentlicht" in page
