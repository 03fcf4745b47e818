"""Form input of the guests domain: the number of companions (also for residents), a
guest's sign-up request and the upgrade to a full account."""

from __future__ import annotations

from dataclasses import dataclass

from boerse.accounts.schemas import parse_new_password
from boerse.lib.forms import Form
from boerse.lib.i18n import gettext as _


@dataclass(frozen=True)
class GuestRequestInput:
    session_id: int
    email: str
    display_name: str
    companions: int


def parse_companions(form: Form, max_companions: int) -> int:
    """0 … the opportunity's limit; anything else is an error naming the limit."""
    raw = str(form.values.get("companions") or "").strip()
    if not raw:
        return 0
    try:
        value = int(raw)
    except ValueError:
        value = -1
    if value < 0 or value > max_companions:
        if max_companions == 0:
            form.errors["companions"] = _(
                "Für dieses Angebot kann sich jede Person nur selbst anmelden."
            )
        else:
            form.errors["companions"] = _(
                "Sie können höchstens {n} weitere Personen mitbringen (0 bis {n})."
            ).format(n=max_companions)
        return 0
    return value


def _consent(form: Form) -> None:
    if not form.checkbox("consent"):
        form.errors["consent"] = _(
            "Bitte bestätigen Sie, dass Sie die Datenschutzhinweise gelesen haben."
        )


def parse_guest_request(
    form: Form, session_id: int, max_companions: int
) -> GuestRequestInput | None:
    display_name = form.text("display_name", required=True, max_length=100)
    email = form.email()
    companions = parse_companions(form, max_companions)
    _consent(form)
    return GuestRequestInput(session_id, email, display_name, companions) if form.ok else None


def parse_upgrade(form: Form, email: str) -> str | None:
    """The new password (checked like at registration) and the privacy consent."""
    password = parse_new_password(form, email)
    _consent(form)
    return password if form.ok else None
