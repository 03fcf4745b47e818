"""Accounts: people, their roles and organisations, login sessions and emailed tokens."""

from enum import StrEnum

from piccolo.columns import (
    BigInt,
    Boolean,
    Bytea,
    ForeignKey,
    OnDelete,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class Role(StrEnum):
    RESIDENT = "resident"
    OFFICER = "officer"
    ADMIN = "admin"
    GUEST = "guest"
    """Signed up for a date without an account: a row so that mails, reminders, surveys and
    the hours record work as for everyone; no password, no profile, never matched. Turning
    it into a resident keeps the row and so the history."""


class OrganisationKind(StrEnum):
    COUNCIL = "council"
    PARTNER = "partner"


class Organisation(Table):
    """A council department or a partner such as a charity; officers post in its name."""

    name = Varchar(length=200, unique=True)
    kind = Varchar(length=20, default=OrganisationKind.COUNCIL.value)
    description = Text(default="")
    website = Varchar(length=300, default="")
    contact_name = Varchar(length=100, default="")
    contact_email = Varchar(length=254, default="")
    contact_phone = Varchar(length=50, default="")
    logo = Bytea(null=True, default=None)
    """The logo as uploaded (PNG, JPEG or WebP, size-limited); kept in the database so that
    every web replica serves the same bytes without a shared disk."""
    logo_type = Varchar(length=30, default="")
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class User(Table, tablename="account_user"):
    """Anyone who logs in. The email is stored lower-cased so uniqueness is case-blind."""

    email = Varchar(length=254, unique=True)
    password_hash = Varchar(length=200)
    display_name = Varchar(length=100, default="")
    role = Varchar(length=20, default=Role.RESIDENT.value, index=True)
    organisation = ForeignKey(Organisation, null=True, on_delete=OnDelete.set_null)
    email_verified_at = Timestamptz(null=True, default=None)
    is_active = Boolean(default=True)
    calendar_token = Varchar(length=64, unique=True)
    created_at = Timestamptz(default=TimestamptzNow())
    last_login_at = Timestamptz(null=True, default=None)
    privacy_consent_at = Timestamptz(null=True, default=None)
    """When the person accepted the privacy notice (GDPR Art. 7(1): consent must be provable)."""
    totp_secret = Varchar(length=64, default="", secret=True)
    """Staff second factor (RFC 6238): the shared secret, set when setup starts."""
    totp_enabled_at = Timestamptz(null=True, default=None)
    """When the first code confirmed the secret; from then on every login asks for a code."""
    totp_last_step = BigInt(default=0)
    """The 30-second step of the last accepted code: a code works only once (RFC 6238 5.2)."""
    language = Varchar(length=5, default="de")
    """The language of the person's emails ('de' or 'en'): whoever causes a mail (an officer
    working in English, a nightly job) writes it in the recipient's language, not their own."""
    messages_ok = Boolean(default=True)
    """Receives organisers' messages to participants (every such mail links to switch it off)."""
    signup_summary_ok = Boolean(default=False)
    """An officer's daily email of new sign-ups for their organisation's dates."""


class LoginSession(Table):
    """A server-side login; the browser holds only the random token, we keep its hash."""

    token_hash = Varchar(length=64, unique=True)
    user = ForeignKey(User, null=False, on_delete=OnDelete.cascade, index=True)
    created_at = Timestamptz(default=TimestamptzNow())
    last_seen_at = Timestamptz(default=TimestamptzNow())
    second_factor_pending = Boolean(default=False)
    """Password checked, code not yet: such a session signs nobody in (see `two_factor`)."""


class TokenPurpose(StrEnum):
    VERIFY_EMAIL = "verify"
    RESET_PASSWORD = "reset"
    CHANGE_EMAIL = "change_email"
    GUEST_SIGNUP = "guest_signup"


class EmailToken(Table):
    """Single-use link sent by email (verification, password reset); stored hashed."""

    token_hash = Varchar(length=64, unique=True)
    user = ForeignKey(User, null=False, on_delete=OnDelete.cascade, index=True)
    purpose = Varchar(length=20)
    new_email = Varchar(length=254, default="")
    """For an email change: the address the link was sent to, which becomes the login."""
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


class RecoveryCode(Table):
    """Single-use code for a staff member who lost the authenticator; only its SHA-256 is
    stored (each code has about 80 random bits, so a fast hash suffices)."""

    user = ForeignKey(User, null=False, on_delete=OnDelete.cascade, index=True)
    code_hash = Varchar(length=64)
    used_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
