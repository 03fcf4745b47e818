"""Two partner keys for the administrators' list: the Sozialwerk's tool that publishes its
offers (write, used this morning) and a revoked read key of a former harvester.

Their secrets are made at random and thrown away at once, as the admin page would after
showing them: no usable demo key exists anywhere, in the repository or the database. To
try the API, issue a key on /admin/partnerzugaenge (README, *Partner access*)."""

from __future__ import annotations

import datetime as dt

from boerse.accounts.tables import Organisation
from boerse.partners.keys import new_key
from boerse.partners.tables import KeyScope, PartnerKey

WRITING_PARTNER = "Sozialwerk Lindenau – Einsatzplanung"


async def demo_partner_keys(now: dt.datetime, admin_id: int) -> None:
    organisation = (
        await Organisation.select(Organisation.id)
        .where(Organisation.name.like("Sozialwerk%"))
        .first()
    )
    writing, revoked = new_key(), new_key()
    await PartnerKey.insert(
        PartnerKey(
            partner_name=WRITING_PARTNER,
            contact="Petra Schmitt, 0341 880 12-0",
            organisation=organisation["id"] if organisation else None,
            scope=KeyScope.WRITE.value if organisation else KeyScope.READ.value,
            prefix=writing.prefix,
            secret_hash=writing.secret_hash,
            created_by=admin_id,
            created_at=now - dt.timedelta(days=40),
            expires_at=now + dt.timedelta(days=325),
            last_used_at=now - dt.timedelta(hours=3),
        ),
        PartnerKey(
            partner_name="Ehrenamtsportal Sachsen (Test)",
            contact="technik@ehrenamtsportal.example",
            scope=KeyScope.READ.value,
            prefix=revoked.prefix,
            secret_hash=revoked.secret_hash,
            created_by=admin_id,
            created_at=now - dt.timedelta(days=200),
            revoked_at=now - dt.timedelta(days=30),
            last_used_at=now - dt.timedelta(days=31),
        ),
    )
