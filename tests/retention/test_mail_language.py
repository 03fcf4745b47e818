"""The warning before an inactive account is deleted speaks the account's language, the
day of deletion included."""

from __future__ import annotations

import time_machine
from babel.dates import format_date

from boerse.lib.formatting import TOWN_TIMEZONE
from boerse.settings import get_settings
from tests.retention.helpers import DAY, T0, run_retention_at
from tests.support.factories import make_user
from tests.support.services import Mailbox, body_text


async def test_the_inactivity_warning_is_in_each_accounts_language(mailbox: Mailbox) -> None:
    settings = get_settings()
    with time_machine.travel(T0, tick=True):
        await make_user(email="lena@example.org", display_name="Lena", last_login_at=T0)
        await make_user(
            email="tom@example.org", display_name="Tom", last_login_at=T0, language="en"
        )

    warned_at = T0 + settings.inactive_account_days * DAY + DAY
    await run_retention_at(warned_at)

    assert sorted(mailbox.subjects()) == [
        "Ihr Konto bei der Mitmach-Börse wird bald gelöscht",
        "Your Mitmach-Börse account will be deleted soon",
    ]
    deletion_day = (warned_at + settings.inactive_grace_days * DAY).astimezone(TOWN_TIMEZONE)
    german = body_text(mailbox.to("lena@example.org")[0])
    english = body_text(mailbox.to("tom@example.org")[0])
    assert format_date(deletion_day, "full", locale="de") in german
    assert format_date(deletion_day, "full", locale="en") in english
    assert "we will delete your account on" in english
