"""Every query of the profiles domain: the resident's profile, the taxonomies it draws on,
and the GDPR duties (export and deletion of one's own data)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from piccolo.columns.combination import WhereRaw

from boerse.accounts.sessions import end_all_sessions
from boerse.accounts.tables import User
from boerse.lib.db import CachedSelect, utcnow, write_transaction
from boerse.lib.geo import Place, geocode
from boerse.lib.security import verify_password
from boerse.matching.index import forget_resident, refresh_resident
from boerse.opportunities.signups import release_places_of_user
from boerse.opportunities.tables import SignUp
from boerse.outbox.services import forget_recipient
from boerse.profiles.schemas import ProfileInput, slugify
from boerse.profiles.tables import FieldOfAction, Profile, ProfileInterest, ProfileSkill, Skill
from boerse.profiles.taxonomy import Taxonomy

_GERMAN_SORT = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})


class UnknownPostcodeError(ValueError):
    """The postcode is not in the gazetteer (the form checks this first; this guards callers)."""


@dataclass(frozen=True)
class SkillRef:
    id: int
    slug: str
    name: str
    curated: bool


@dataclass(frozen=True)
class FieldRef:
    id: int
    slug: str
    name: str
    position: int


@dataclass(frozen=True)
class ProfileView:
    """A resident's profile with their skills and interests; coordinates are coarse."""

    id: int
    user_id: int
    display_name: str
    postcode: str
    locality: str
    latitude: float | None
    longitude: float | None
    travel_radius_km: int
    hours_per_month: int
    time_windows: list[str]
    languages: list[str]
    birth_year: int | None
    contact_ok: bool
    digest_ok: bool
    updated_at: dt.datetime | None
    accessibility_needs: list[str] = field(default_factory=list)
    """Special-category-like data (health): shown only to the organisers of dates the person
    signed up for, deleted with the profile."""
    accessible_only: bool = False
    skills: list[SkillRef] = field(default_factory=list)
    interests: list[FieldRef] = field(default_factory=list)

    @property
    def skill_ids(self) -> list[int]:
        return [skill.id for skill in self.skills]

    @property
    def skill_names(self) -> list[str]:
        return [skill.name for skill in self.skills]

    @property
    def own_skill_names(self) -> list[str]:
        return [skill.name for skill in self.skills if not skill.curated]

    @property
    def interest_ids(self) -> list[int]:
        return [interest.id for interest in self.interests]

    @property
    def interest_slugs(self) -> list[str]:
        return [interest.slug for interest in self.interests]


def _german_key(name: str) -> str:
    """Umlauts sort beside their base letter (Ü with U), as a German reader expects."""
    return name.casefold().translate(_GERMAN_SORT)


def _skill_ref(row: dict[str, Any]) -> SkillRef:
    return SkillRef(id=row["id"], slug=row["slug"], name=row["name"], curated=bool(row["curated"]))


def _field_ref(row: dict[str, Any]) -> FieldRef:
    return FieldRef(id=row["id"], slug=row["slug"], name=row["name"], position=row["position"])


def form_choices(
    taxonomy: Taxonomy, keep_skills: Iterable[str] = (), keep_fields: Iterable[str] = ()
) -> tuple[list[SkillRef], list[FieldRef]]:
    """What the profile form offers: curated skills and the fields of action that are not
    retired, and retired ones whose ids are in `keep_*` (ticked in the form shown or posted,
    so a profile keeps what it had; a retired entry is never offered anew). From the lists
    as this process keeps them (`taxonomy.current()`): no query."""
    kept_skills, kept_fields = set(_kept_ids(keep_skills)), set(_kept_ids(keep_fields))
    skills = [
        SkillRef(id=entry.id, slug=entry.slug, name=entry.name, curated=True)
        for entry in taxonomy.skills
        if not entry.retired or entry.id in kept_skills
    ]
    fields = [
        FieldRef(id=entry.id, slug=entry.slug, name=entry.name, position=position)
        for position, entry in enumerate(taxonomy.fields)
        if not entry.retired or entry.id in kept_fields
    ]
    return skills, fields


def _kept_ids(keep: Iterable[str]) -> list[int]:
    return [int(item) for item in keep if str(item).isdigit()]


async def curated_skills(keep: Iterable[str] = ()) -> list[SkillRef]:
    """The skills offered as checkboxes, alphabetically."""
    condition = Skill.curated.eq(True) & Skill.retired_at.is_null()
    if kept := _kept_ids(keep):
        condition = Skill.curated.eq(True) & (Skill.retired_at.is_null() | Skill.id.is_in(kept))
    rows = await Skill.select(Skill.id, Skill.slug, Skill.name, Skill.curated).where(condition)
    return sorted((_skill_ref(row) for row in rows), key=lambda skill: _german_key(skill.name))


async def fields_of_action(keep: Iterable[str] = ()) -> list[FieldRef]:
    condition = FieldOfAction.retired_at.is_null()
    if kept := _kept_ids(keep):
        condition = FieldOfAction.retired_at.is_null() | FieldOfAction.id.is_in(kept)
    rows = (
        await FieldOfAction.select(
            FieldOfAction.id, FieldOfAction.slug, FieldOfAction.name, FieldOfAction.position
        )
        .where(condition)
        .order_by(FieldOfAction.position)
    )
    return [_field_ref(row) for row in rows]


async def has_profile(user_id: int) -> bool:
    """Lets the login flow nudge residents who have not told us about themselves yet.
    Asked on every signed-in start page; the statement is written once per process
    (Piccolo's `exists()` spent ~0.7 ms of Python building it each time)."""
    return bool(await _HAS_PROFILE.rows(user_id))


_HAS_PROFILE = CachedSelect(
    lambda: Profile.select(Profile.id).where(WhereRaw('profile."user" = user__')).limit(1),
    "user__",
)


_REQUIRED_ACCESS = CachedSelect(
    lambda: (
        Profile.select(Profile.accessibility_needs)
        .where(WhereRaw('profile."user" = user__ AND profile.accessible_only = TRUE'))
        .limit(1)
    ),
    "user__",
)


async def required_access_of(user_id: int) -> list[str]:
    """The needs every listed offer must meet for this person: their accessibility needs
    when they switched on the hard filter, else none. Asked on every list page a signed-in
    person opens, so the statement is written once per process."""
    row = await _REQUIRED_ACCESS.first(user_id)
    return list(row["accessibility_needs"] or []) if row else []


# The recommendations page and the profile form read a profile on every visit; building
# these joins was a third of the recommendations page's time, so they are written once.
_PROFILE = CachedSelect(
    lambda: (
        Profile.select(*Profile.all_columns(), Profile.user.display_name.as_alias("display_name"))
        .where(WhereRaw('profile."user" = user__'))
        .limit(1)
    ),
    "user__",
)
_PROFILE_SKILLS = CachedSelect(
    lambda: ProfileSkill.select(
        ProfileSkill.skill.id.as_alias("id"),
        ProfileSkill.skill.slug.as_alias("slug"),
        ProfileSkill.skill.name.as_alias("name"),
        ProfileSkill.skill.curated.as_alias("curated"),
    ).where(WhereRaw("profile_skill.profile = profile__")),
    "profile__",
)
_PROFILE_INTERESTS = CachedSelect(
    lambda: (
        ProfileInterest.select(
            ProfileInterest.field.id.as_alias("id"),
            ProfileInterest.field.slug.as_alias("slug"),
            ProfileInterest.field.name.as_alias("name"),
            ProfileInterest.field.position.as_alias("position"),
        )
        .where(WhereRaw("profile_interest.profile = profile__"))
        .order_by(ProfileInterest.field.position)
    ),
    "profile__",
)


async def get_profile(user_id: int) -> ProfileView | None:
    """Three queries whatever the number of skills and interests."""
    row = await _PROFILE.first(user_id)
    if row is None:
        return None
    skills = await _PROFILE_SKILLS.rows(row["id"])
    interests = await _PROFILE_INTERESTS.rows(row["id"])
    return ProfileView(
        id=row["id"],
        user_id=row["user"],
        display_name=row["display_name"],
        postcode=row["postcode"],
        locality=row["locality"],
        latitude=row["latitude"],
        longitude=row["longitude"],
        travel_radius_km=row["travel_radius_km"],
        hours_per_month=row["hours_per_month"],
        time_windows=list(row["time_windows"] or []),
        languages=list(row["languages"] or []),
        birth_year=row["birth_year"],
        contact_ok=bool(row["contact_ok"]),
        digest_ok=bool(row["digest_ok"]),
        updated_at=row["updated_at"],
        accessibility_needs=list(row["accessibility_needs"] or []),
        accessible_only=bool(row["accessible_only"]),
        # Curated first, then own tags; both alphabetically.
        skills=sorted(
            (_skill_ref(skill) for skill in skills),
            key=lambda skill: (not skill.curated, _german_key(skill.name)),
        ),
        interests=[_field_ref(interest) for interest in interests],
    )


async def save_profile(user_id: int, data: ProfileInput) -> ProfileView:
    """Creates or replaces the whole profile in one transaction.

    Geocoding runs before the transaction (it may call a remote service and must not hold the
    write lock); the street address is used for that call only and never stored."""
    place = await geocode(data.postcode, data.address)
    if place is None:
        raise UnknownPostcodeError(data.postcode)
    async with write_transaction():
        await User.update({User.display_name: data.display_name}).where(User.id == user_id)
        profile_id = await _upsert_profile(user_id, data, place)
        skill_ids = list(dict.fromkeys(data.skill_ids + await _own_skill_ids(data.own_skills)))
        await _replace_links(profile_id, skill_ids, data.interest_ids)
        await refresh_resident(user_id)
    view = await get_profile(user_id)
    assert view is not None  # written just above
    return view


async def _upsert_profile(user_id: int, data: ProfileInput, place: Place) -> int:
    """One statement, so two first saves of the same person (double click) cannot collide."""
    values = {
        Profile.postcode: place.postcode,
        Profile.locality: place.locality,
        Profile.latitude: place.latitude,
        Profile.longitude: place.longitude,
        Profile.travel_radius_km: data.travel_radius_km,
        Profile.hours_per_month: data.hours_per_month,
        Profile.time_windows: data.time_windows,
        Profile.languages: data.languages,
        Profile.birth_year: data.birth_year,
        Profile.contact_ok: data.contact_ok,
        Profile.digest_ok: data.digest_ok,
        Profile.accessibility_needs: data.accessibility_needs,
        Profile.accessible_only: data.accessible_only,
        Profile.updated_at: utcnow(),
    }
    row = Profile(user=user_id, **{column._meta.name: value for column, value in values.items()})
    inserted = (
        await Profile.insert(row)
        .on_conflict(target=Profile.user, action="DO UPDATE", values=list(values))
        .returning(Profile.id)
    )
    return inserted[0]["id"]


async def _own_skill_ids(names: list[str]) -> list[int]:
    """Own tags become (non-curated) skills shared by everyone who typed the same word."""
    if not names:
        return []
    by_slug = {slugify(name): name for name in names}
    await Skill.insert(
        *(Skill(slug=slug, name=name, curated=False) for slug, name in by_slug.items())
    ).on_conflict(target=Skill.slug, action="DO NOTHING")
    rows = await Skill.select(Skill.id, Skill.slug).where(Skill.slug.is_in(list(by_slug)))
    ids = {row["slug"]: row["id"] for row in rows}
    return [ids[slug] for slug in by_slug]


async def _replace_links(profile_id: int, skill_ids: list[int], interest_ids: list[int]) -> None:
    await ProfileSkill.delete().where(ProfileSkill.profile == profile_id)
    if skill_ids:
        await ProfileSkill.insert(
            *(ProfileSkill(profile=profile_id, skill=skill_id) for skill_id in skill_ids)
        )
    await ProfileInterest.delete().where(ProfileInterest.profile == profile_id)
    if interest_ids:
        await ProfileInterest.insert(
            *(ProfileInterest(profile=profile_id, field=field_id) for field_id in interest_ids)
        )


# --- GDPR: what we store about a person, and forgetting them ---------------------------------


async def export_data(user_id: int) -> dict[str, Any]:
    """Everything stored about the person (Art. 15 and 20 GDPR) in five queries; times stay
    datetimes so the page can format them and the download can write ISO 8601."""
    account = (
        await User.select(
            User.email,
            User.display_name,
            User.role,
            User.organisation.name.as_alias("organisation"),
            User.email_verified_at,
            User.created_at,
            User.last_login_at,
        )
        .where(User.id == user_id)
        .first()
    )
    if account is None:
        return {}
    profile = await get_profile(user_id)
    return {
        "account": {
            "email": account["email"],
            "display_name": account["display_name"],
            "role": account["role"],
            "organisation": account["organisation"],
            "email_verified_at": account["email_verified_at"],
            "created_at": account["created_at"],
            "last_login_at": account["last_login_at"],
        },
        "profile": _profile_export(profile),
        "skills": profile.skill_names if profile else [],
        "interests": [
            {"slug": interest.slug, "name": interest.name}
            for interest in (profile.interests if profile else [])
        ],
        "sign_ups": await _sign_ups_export(user_id),
    }


def _profile_export(profile: ProfileView | None) -> dict[str, Any] | None:
    if profile is None:
        return None
    return {
        "postcode": profile.postcode,
        "locality": profile.locality,
        "latitude": profile.latitude,
        "longitude": profile.longitude,
        "travel_radius_km": profile.travel_radius_km,
        "hours_per_month": profile.hours_per_month,
        "time_windows": profile.time_windows,
        "languages": profile.languages,
        "birth_year": profile.birth_year,
        "contact_ok": profile.contact_ok,
        "digest_ok": profile.digest_ok,
        "accessibility_needs": profile.accessibility_needs,
        "accessible_only": profile.accessible_only,
        "updated_at": profile.updated_at,
    }


async def _sign_ups_export(user_id: int) -> list[dict[str, Any]]:
    rows = (
        await SignUp.select(
            SignUp.session.opportunity.title.as_alias("opportunity"),
            SignUp.session.starts_at.as_alias("starts_at"),
            SignUp.session.ends_at.as_alias("ends_at"),
            SignUp.status,
            SignUp.attendance,
            SignUp.hours,
            SignUp.created_at,
        )
        .where(SignUp.user == user_id)
        .order_by(SignUp.session.starts_at)
    )
    return [
        {
            "opportunity": row["opportunity"],
            "starts_at": row["starts_at"],
            "ends_at": row["ends_at"],
            "status": row["status"],
            "attendance": row["attendance"],
            "hours": row["hours"],
            "signed_up_at": row["created_at"],
        }
        for row in rows
    ]


async def password_matches(user_id: int, password: str) -> bool:
    """Deleting an account asks for the password again, so an open browser alone cannot."""
    row = await User.select(User.password_hash).where(User.id == user_id).first()
    return verify_password(row["password_hash"] if row else None, password)


async def delete_account(user_id: int) -> None:
    """Forgets the person. The cascades remove profile, tokens and sign-ups; survey answers
    carry no link to a person and stay; queued and sent emails to them go too.

    Every device is logged out first, so no other tab can take a new place while the
    sign-up service gives the held places back (promoting waiting people); that service
    commits and notifies the worker on its own, so it runs before the deleting transaction."""
    await end_all_sessions(user_id)
    await release_places_of_user(user_id)
    async with write_transaction():
        row = await User.select(User.email).where(User.id == user_id).first()
        if row is not None:
            await forget_recipient(row["email"])
        await forget_resident(user_id)
        await User.delete().where(User.id == user_id)
