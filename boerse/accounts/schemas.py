"""Form input of the accounts domain: each parser checks every field, fills `form.errors`
and returns typed values only when everything is valid (so nothing is ever saved half)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from boerse.accounts.tables import OrganisationKind, Role
from boerse.lib.forms import Form
from boerse.lib.i18n import gettext as _

PASSWORD_MIN_LENGTH = 10
# argon2 copes with any length, but an unbounded field invites expensive requests.
PASSWORD_MAX_LENGTH = 200
DEFAULT_NEXT = "/angebote"


@dataclass(frozen=True)
class Registration:
    email: str
    display_name: str
    password: str
    next_path: str = DEFAULT_NEXT
    """Where the verification link leads back to (the date someone wanted to book)."""


@dataclass(frozen=True)
class Credentials:
    email: str
    password: str


@dataclass(frozen=True)
class OrganisationInput:
    name: str
    kind: str
    description: str
    website: str


@dataclass(frozen=True)
class StaffInput:
    email: str
    display_name: str
    role: str
    organisation_id: int | None


def password_problem(password: str, email: str) -> str | None:
    """The one password policy (also used by the command line): long enough, not the email."""
    if len(password) < PASSWORD_MIN_LENGTH:
        return _("Das Passwort muss mindestens {n} Zeichen lang sein.").format(
            n=PASSWORD_MIN_LENGTH
        )
    if len(password) > PASSWORD_MAX_LENGTH:
        return _("Das Passwort darf höchstens {n} Zeichen lang sein.").format(n=PASSWORD_MAX_LENGTH)
    if email and password.strip().lower() == email.strip().lower():
        return _("Das Passwort darf nicht Ihre E-Mail-Adresse sein.")
    return None


def _new_password(form: Form, email: str) -> str:
    """Passwords are taken as typed (no stripping) and checked against the repetition."""
    password = str(form.values.get("password") or "")
    repeated = str(form.values.get("password_repeat") or "")
    if not password:
        form.errors["password"] = _("Bitte wählen Sie ein Passwort.")
    elif problem := password_problem(password, email):
        form.errors["password"] = problem
    elif password != repeated:
        form.errors["password_repeat"] = _("Die beiden Passwörter stimmen nicht überein.")
    return password


def parse_registration(form: Form) -> Registration | None:
    email = form.email()
    display_name = form.text("display_name", required=True, max_length=100)
    password = _new_password(form, email)
    if not form.checkbox("consent"):
        form.errors["consent"] = _(
            "Bitte bestätigen Sie, dass Sie die Datenschutzhinweise gelesen haben."
        )
    next_path = safe_next(form.values.get("next"))
    return Registration(email, display_name, password, next_path) if form.ok else None


def parse_login(form: Form) -> Credentials | None:
    email = form.email()
    password = str(form.values.get("password") or "")
    if not password:
        form.errors["password"] = _("Bitte geben Sie Ihr Passwort ein.")
    return Credentials(email, password) if form.ok else None


def parse_email_only(form: Form) -> str | None:
    email = form.email()
    return email if form.ok else None


def parse_new_password(form: Form, email: str) -> str | None:
    password = _new_password(form, email)
    return password if form.ok else None


def parse_organisation(form: Form) -> OrganisationInput | None:
    name = form.text("name", required=True, max_length=200)
    kind = form.choice("kind", [kind.value for kind in OrganisationKind])
    description = form.text("description", max_length=2000)
    website = form.text("website", max_length=300)
    if website and not _is_web_address(website):
        form.errors["website"] = _(
            "Bitte geben Sie die Adresse vollständig ein, z. B. https://www.beispiel.de."
        )
    return OrganisationInput(name, kind, description, website) if form.ok else None


def parse_staff(form: Form) -> StaffInput | None:
    email = form.email()
    display_name = form.text("display_name", required=True, max_length=100)
    role = form.choice("role", [Role.OFFICER.value, Role.ADMIN.value])
    organisation_id = form.integer("organisation", minimum=1)
    if role == Role.OFFICER.value and organisation_id is None and "organisation" not in form.errors:
        form.errors["organisation"] = _(
            "Bitte wählen Sie die Organisation, für die die Person Angebote einstellt."
        )
    return StaffInput(email, display_name, role, organisation_id) if form.ok else None


def _is_web_address(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in {"http", "https"} and "." in parts.netloc and " " not in value


def safe_next(value: str | None) -> str:
    """Only a path on this site: `//evil.example`, `/\\evil` or `https://…` would turn the
    login form into an open redirect that phishing mails could use."""
    value = (value or "").strip()
    if (
        not value.startswith("/")
        or value.startswith(("//", "/\\"))
        or any(ord(char) < 32 or char == "\\" for char in value)
    ):
        return DEFAULT_NEXT
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return DEFAULT_NEXT
    return value


@dataclass(frozen=True)
class SwitchOff:
    password: str
    code: str


def parse_code(form: Form, name: str = "code") -> str | None:
    """A code from the authenticator app or a recovery code, as typed (spaces allowed)."""
    code = form.text(name, max_length=40)
    if not code:
        form.errors[name] = _("Bitte geben Sie den Code ein.")
    return code if form.ok else None


def parse_switch_off(form: Form) -> SwitchOff | None:
    password = str(form.values.get("password") or "")
    if not password:
        form.errors["password"] = _("Bitte geben Sie Ihr Passwort ein.")
    code = parse_code(form, "off_code") or ""
    return SwitchOff(password, code) if form.ok else None
