"""Mein Profil: the resident's own profile, their data (export) and deleting the account."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, ClassVar

from litestar import Controller, Request, Response, get, post
from litestar.exceptions import PermissionDeniedException
from litestar.response import Redirect, Template

from boerse.accounts.auth import CurrentUser
from boerse.accounts.guards import requires_login
from boerse.accounts.sessions import clear_session_cookie
from boerse.lib.db import utcnow
from boerse.lib.flash import flash, register
from boerse.lib.formatting import TOWN_TIMEZONE
from boerse.lib.forms import Form
from boerse.lib.i18n import N_
from boerse.lib.i18n import gettext as _
from boerse.lib.routing import see_other
from boerse.matching.area import AreaNotice, area_notice
from boerse.profiles import rules, services
from boerse.profiles.accessibility import ACCESSIBILITY
from boerse.profiles.schemas import MAX_OWN_SKILLS, parse_profile
from boerse.profiles.taxonomy import DAY_PARTS, WEEKDAYS, sort_key
from boerse.profiles.taxonomy import current as current_taxonomy
from boerse.retention.services import delete_with_history

PROFILE_SAVED = register("profile_saved", N_("Ihr Profil wurde gespeichert."))
ACCOUNT_DELETED = register(
    "account_deleted", N_("Ihr Konto und alle Ihre Daten wurden gelöscht."), kind="info"
)
DEFAULT_VALUES: dict[str, Any] = {
    "travel_radius_km": "10",
    "hours_per_month": "4",
    "languages": ["de"],
}

AuthRequest = Request[CurrentUser, None, Any]


def _values_of(profile: services.ProfileView | None, display_name: str) -> dict[str, Any]:
    """The form as the saved profile would have been typed (a first visit gets defaults)."""
    if profile is None:
        return {**DEFAULT_VALUES, "display_name": display_name}
    curated = [str(skill.id) for skill in profile.skills if skill.curated]
    return {
        "display_name": profile.display_name,
        "postcode": profile.postcode,
        "travel_radius_km": str(profile.travel_radius_km),
        "hours_per_month": str(profile.hours_per_month),
        "skills": curated,
        "own_skills": ", ".join(profile.own_skill_names),
        "interests": [str(field_id) for field_id in profile.interest_ids],
        "time_windows": list(profile.time_windows),
        "languages": list(profile.languages),
        "birth_year": str(profile.birth_year or ""),
        "contact_ok": "on" if profile.contact_ok else "",
        "digest_ok": "on" if profile.digest_ok else "",
        "accessibility_needs": list(profile.accessibility_needs),
        "accessible_only": "on" if profile.accessible_only else "",
    }


def _area_notice(profile: services.ProfileView | None) -> AreaNotice | None:
    if profile is None:
        return None
    return area_notice(profile.latitude, profile.longitude, profile.travel_radius_km)


async def _edit_page(
    form: Form, profile: services.ProfileView | None, status_code: int = 200
) -> Template:
    """The profile form with its choices; labels are msgids, translated here for the macros."""
    taxonomy = await current_taxonomy()
    skills, fields = services.form_choices(taxonomy, form.many("skills"), form.many("interests"))
    return Template(
        template_name="profiles/edit.html",
        context={
            "form": form,
            "profile": profile,
            "area_notice": _area_notice(profile),
            "skill_options": sorted(
                ((str(skill.id), _(skill.name)) for skill in skills),
                key=lambda option: sort_key(option[1]),
            ),
            "field_options": [(str(field.id), _(field.name)) for field in fields],
            "language_options": taxonomy.options("languages", form.many("languages")),
            "accessibility_options": [(slug, _(label)) for slug, label in ACCESSIBILITY],
            "weekdays": WEEKDAYS,
            "day_parts": [(slug, label) for slug, label, *_ in DAY_PARTS],
            "max_own_skills": MAX_OWN_SKILLS,
            "this_year": utcnow().astimezone(TOWN_TIMEZONE).year,
        },
        status_code=status_code,
    )


class ProfileController(Controller):
    path = "/profil"
    guards: ClassVar = [requires_login]

    @get("/", name="profiles:edit")
    async def edit(self, request: AuthRequest) -> Template:
        profile = await services.get_profile(request.user.id)
        return await _edit_page(
            Form(values=_values_of(profile, request.user.display_name)), profile
        )

    @post("/", name="profiles:save")
    async def save(self, request: AuthRequest) -> Template | Redirect:
        form = await Form.from_request(request)
        taxonomy = await current_taxonomy()
        skills, fields = services.form_choices(
            taxonomy, form.many("skills"), form.many("interests")
        )
        data = parse_profile(
            form,
            {skill.id: skill.name for skill in skills},
            {field.id for field in fields},
            utcnow().astimezone(TOWN_TIMEZONE).year,
        )
        if data is None:
            return await _edit_page(form, await services.get_profile(request.user.id), 400)
        await services.save_profile(request.user.id, data)
        return flash(see_other(request, "profiles:edit"), PROFILE_SAVED)

    @get("/daten", name="profiles:data")
    async def data(self, request: AuthRequest) -> Template:
        return Template(
            template_name="profiles/data.html",
            context={
                "data": await services.export_data(request.user.id),
                "weekdays": dict(WEEKDAYS),
                "day_parts": {slug: label for slug, label, *_ in DAY_PARTS},
                "languages": (await current_taxonomy()).labels("languages"),
                "accessibility": dict(ACCESSIBILITY),
                "may_delete": rules.may_delete_own_account(request.user),
            },
        )

    @get("/daten.json", name="profiles:export")
    async def export(self, request: AuthRequest) -> Response[bytes]:
        """A download, so the browser saves the file instead of showing it."""
        payload = await services.export_data(request.user.id)
        return Response(
            content=json.dumps(payload, ensure_ascii=False, indent=2, default=_iso_8601).encode(
                "utf-8"
            ),
            media_type="application/json; charset=utf-8",
            headers={
                "Content-Disposition": 'attachment; filename="mitmach-boerse-meine-daten.json"',
                "Cache-Control": "no-store",
            },
        )

    @get("/loeschen", name="profiles:delete")
    async def confirm_delete(self, request: AuthRequest) -> Template:
        return _delete_page(Form(), request.user)

    @post("/loeschen", name="profiles:delete_confirmed")
    async def delete(self, request: AuthRequest) -> Template | Redirect:
        form = await Form.from_request(request)
        if not rules.may_delete_own_account(request.user):
            raise PermissionDeniedException()
        password = form.text("password", required=True, max_length=1000)
        if form.ok and not await services.password_matches(request.user.id, password):
            form.errors["password"] = _("Das Passwort ist nicht richtig.")
        if not form.ok:
            form.values.pop("password", None)
            return _delete_page(form, request.user, 400)
        # Past participation stays as anonymous counts (the town's figures do not shrink);
        # everything that names the person goes.
        await delete_with_history(request.user.id, utcnow())
        return flash(
            clear_session_cookie(see_other(request, "home")),
            ACCOUNT_DELETED,
        )


def _iso_8601(value: Any) -> str:
    """Times in the download are ISO 8601 with their UTC offset (machine-readable, Art. 20)."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def _delete_page(form: Form, user: CurrentUser, status_code: int = 200) -> Template:
    return Template(
        template_name="profiles/delete.html",
        context={"form": form, "may_delete": rules.may_delete_own_account(user)},
        status_code=status_code,
    )


CONTROLLERS = [ProfileController]
