"""Form input of the accounts domain: each parser checks every field, fills `form.errors`
and returns typed values only when everything is valid (so nothing is ever saved half)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from boerse.accounts.tables import OrganisationKind, Role
from boerse.lib.forms import Form
from boerse.lib.i18n import N_
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
    if website and not is_web_address(website):
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


def is_web_address(value: str) -> bool:
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


# --- settings of a signed-in person -----------------------------------------------------------

SETTINGS_LABELS = {
    "current_password": N_("Ihr bisheriges Passwort"),
    "password": N_("Neues Passwort"),
    "password_repeat": N_("Neues Passwort wiederholen"),
    "email": N_("Neue E-Mail-Adresse"),
    "language": N_("Sprache der E-Mails"),
}


@dataclass(frozen=True)
class PasswordChange:
    current_password: str
    new_password: str


@dataclass(frozen=True)
class EmailChange:
    new_email: str
    password: str


@dataclass(frozen=True)
class NotificationChoices:
    """What the person wants to receive; `digest_ok` is None for people without a profile
    (the weekly digest needs one), `signup_summary_ok` None for everyone but officers."""

    messages_ok: bool
    language: str
    digest_ok: bool | None = None
    signup_summary_ok: bool | None = None


def _current_password(form: Form, name: str = "current_password") -> str:
    password = str(form.values.get(name) or "")
    if not password:
        form.errors[name] = _("Bitte geben Sie Ihr bisheriges Passwort ein.")
    elif len(password) > PASSWORD_MAX_LENGTH:
        form.errors[name] = _("Das Passwort ist nicht richtig.")
    return password


def parse_password_change(form: Form, email: str) -> PasswordChange | None:
    """The registration's rules for the new password, plus the current one as proof."""
    form.labels = SETTINGS_LABELS
    current = _current_password(form)
    new_password = _new_password(form, email)
    if form.ok and new_password == current:
        form.errors["password"] = _("Das neue Passwort ist dasselbe wie das bisherige.")
    return PasswordChange(current, new_password) if form.ok else None


def parse_email_change(form: Form, current_email: str) -> EmailChange | None:
    form.labels = {**SETTINGS_LABELS, "current_password": N_("Ihr Passwort")}
    new_email = form.email("email")
    if form.ok and new_email == current_email.strip().lower():
        form.errors["email"] = _("Das ist bereits Ihre E-Mail-Adresse.")
    password = _current_password(form)
    return EmailChange(new_email, password) if form.ok else None


def parse_notifications(
    form: Form, languages: tuple[str, ...], has_profile: bool, is_officer: bool
) -> NotificationChoices | None:
    """Checkboxes the page did not offer (no profile, not an officer) stay None: unchanged."""
    form.labels = SETTINGS_LABELS
    language = form.choice("language", languages)
    choices = NotificationChoices(
        messages_ok=form.checkbox("messages_ok"),
        language=language,
        digest_ok=form.checkbox("digest_ok") if has_profile else None,
        signup_summary_ok=form.checkbox("signup_summary_ok") if is_officer else None,
    )
    return choices if form.ok else None
