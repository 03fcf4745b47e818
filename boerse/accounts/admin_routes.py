"""Administration: organisations, staff accounts, and (de)activating any account."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.exceptions import NotFoundException, PermissionDeniedException
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template

from boerse.accounts import admin_services, rules, schemas, two_factor_services
from boerse.accounts.guards import requires_admin
from boerse.accounts.tables import OrganisationKind, Role
from boerse.lib.flash import flash, register
from boerse.lib.forms import Form
from boerse.lib.i18n import N_
from boerse.lib.routing import see_other
from boerse.profiles import taxonomy_admin

register("organisation_created", N_("Die Organisation wurde angelegt."))
register(
    "staff_invited",
    N_("Das Konto wurde angelegt. Die Person bekommt eine E-Mail, um ihr Passwort festzulegen."),
)
register("account_deactivated", N_("Das Konto wurde gesperrt und überall abgemeldet."))
register("account_reactivated", N_("Das Konto ist wieder freigeschaltet."))
register(
    "two_factor_reset",
    N_(
        "Die Zwei-Faktor-Anmeldung wurde zurückgesetzt und die Person überall abgemeldet. "
        "Bei der nächsten Anmeldung richtet sie sie neu ein."
    ),
)

KIND_LABELS = {
    OrganisationKind.COUNCIL.value: N_("Stadtverwaltung"),
    OrganisationKind.PARTNER.value: N_("Partnerorganisation"),
}
ROLE_LABELS = {
    Role.RESIDENT.value: N_("Bürgerin/Bürger"),
    Role.OFFICER.value: N_("Mitarbeitende"),
    Role.ADMIN.value: N_("Administration"),
}


def _page(name: str, status: int = 200, **context: Any) -> Template:
    context.update(kind_labels=KIND_LABELS, role_labels=ROLE_LABELS)
    return Template(template_name=f"admin/{name}.html", context=context, status_code=status)


class AdminController(Controller):
    path = "/admin"
    guards = [requires_admin]  # noqa: RUF012 - Litestar reads this class attribute

    @get("/", name="admin:index")
    async def index(self) -> Template:
        return _page("index", overview=await admin_services.admin_overview())

    @get("/organisationen", name="admin:organisations")
    async def organisations(self) -> Template:
        return _page("organisations", organisations=await admin_services.list_organisations())

    @get("/organisationen/neu", name="admin:organisation_new")
    async def organisation_form(self) -> Template:
        return _page("organisation_form", form=Form(values={"kind": "council"}))

    @post("/organisationen/neu")
    async def create_organisation(self, request: Request) -> Template | Redirect:
        form = await Form.from_request(request)
        data = schemas.parse_organisation(form)
        if data is not None:
            try:
                await admin_services.create_organisation(data)
            except admin_services.InputError as error:
                form.errors[error.field] = error.message
        if not form.ok:
            return _page("organisation_form", 400, form=form)
        return flash(see_other(request, "admin:organisations"), "organisation_created")

    @get("/konten", name="admin:accounts")
    async def accounts(
        self,
        role: Annotated[str, QueryParameter(name="rolle")] = "",
        search: Annotated[str, QueryParameter(name="suche")] = "",
        page: Annotated[int, QueryParameter(name="seite")] = 1,
    ) -> Template:
        role = role if role in ROLE_LABELS else ""
        listing = await admin_services.list_accounts(role, search, page)
        return _page("accounts", listing=listing, role=role, search=search)

    @get("/konten/neu", name="admin:staff_new")
    async def staff_form(self) -> Template:
        return await self._staff_page(Form(values={"role": Role.OFFICER.value}))

    @post("/konten/neu")
    async def invite_staff(self, request: Request) -> Template | Redirect:
        form = await Form.from_request(request)
        data = schemas.parse_staff(form)
        if data is not None:
            try:
                await admin_services.invite_staff(data)
            except admin_services.InputError as error:
                form.errors[error.field] = error.message
        if not form.ok:
            return await self._staff_page(form, 400)
        accounts = request.app.route_reverse("admin:accounts")
        return flash(Redirect(f"{accounts}?rolle=officer", status_code=303), "staff_invited")

    @post("/konten/{user_id:int}/sperren", name="admin:deactivate")
    async def deactivate(self, request: Request, user_id: FromPath[int]) -> Redirect:
        return await self._set_active(request, user_id, active=False)

    @post("/konten/{user_id:int}/freischalten", name="admin:reactivate")
    async def reactivate(self, request: Request, user_id: FromPath[int]) -> Redirect:
        return await self._set_active(request, user_id, active=True)

    @post("/konten/{user_id:int}/zwei-faktor-zuruecksetzen", name="admin:reset_two_factor")
    async def reset_two_factor(self, request: Request, user_id: FromPath[int]) -> Redirect:
        if not rules.may_reset_second_factor(request.user, user_id):
            raise PermissionDeniedException()
        if not await two_factor_services.reset_by_admin(user_id):
            raise NotFoundException()
        return flash(Redirect(await _back(request), status_code=303), "two_factor_reset")

    async def _staff_page(self, form: Form, status: int = 200) -> Template:
        return _page(
            "staff_form",
            status,
            form=form,
            organisations=await admin_services.organisation_choices(),
        )

    async def _set_active(self, request: Request, user_id: int, active: bool) -> Redirect:
        if not rules.may_change_active_state(request.user, user_id):
            raise PermissionDeniedException()
        if not await admin_services.set_active(user_id, active):
            raise NotFoundException()
        key = "account_reactivated" if active else "account_deactivated"
        return flash(Redirect(await _back(request), status_code=303), key)


async def _back(request: Request) -> str:
    """The accounts page the admin came from (filter and page kept), never another site."""
    back = schemas.safe_next((await Form.from_request(request)).values.get("back"))
    return back if back.startswith("/admin/") else request.app.route_reverse("admin:accounts")


# --- taxonomies ----------------------------------------------------------------------------

TAXONOMY_PATHS = {"handlungsfelder": "fields", "faehigkeiten": "skills", "sprachen": "languages"}
TAXONOMY_ADDED = register("taxonomy_added", N_("Der Eintrag wurde angelegt."))
TAXONOMY_RENAMED = register("taxonomy_renamed", N_("Der Eintrag wurde umbenannt."))
TAXONOMY_RETIRED = register(
    "taxonomy_retired",
    N_(
        "Der Eintrag wird nicht mehr zur Auswahl angeboten. Profile und Angebote, die ihn "
        "haben, behalten ihn."
    ),
)
TAXONOMY_RESTORED = register(
    "taxonomy_restored", N_("Der Eintrag wird wieder zur Auswahl angeboten.")
)


def _kind(path_name: str) -> str:
    kind = TAXONOMY_PATHS.get(path_name)
    if kind is None:
        raise NotFoundException()
    return kind


class TaxonomyController(Controller):
    """Fields of action, skills and languages: add, rename, retire and restore entries."""

    path = "/admin/auswahllisten"
    guards = [requires_admin]  # noqa: RUF012 - Litestar reads this class attribute

    @get("/", name="admin:taxonomies")
    async def index(self, request: Request) -> Redirect:
        return see_other(request, "admin:taxonomy", list_name="handlungsfelder")

    @get("/{list_name:str}", name="admin:taxonomy")
    async def show(self, list_name: FromPath[str]) -> Template:
        return await _taxonomy_page(list_name, _kind(list_name))

    @post("/{list_name:str}", name="admin:taxonomy_add")
    async def add(self, request: Request, list_name: FromPath[str]) -> Template | Redirect:
        kind = _kind(list_name)
        form = await Form.from_request(request)
        form.labels = {"name": N_("Name")}
        name = form.text("name", required=True, max_length=taxonomy_admin.MAX_NAME)
        if form.ok:
            try:
                await taxonomy_admin.add(kind, name)
            except taxonomy_admin.TaxonomyError as error:
                form.errors["name"] = str(error)
        if not form.ok:
            return await _taxonomy_page(list_name, kind, add_form=form, status=400)
        return flash(see_other(request, "admin:taxonomy", list_name=list_name), TAXONOMY_ADDED)

    @post("/{list_name:str}/{entry_id:int}/umbenennen", name="admin:taxonomy_rename")
    async def rename(
        self, request: Request, list_name: FromPath[str], entry_id: FromPath[int]
    ) -> Template | Redirect:
        kind = _kind(list_name)
        form = await Form.from_request(request)
        field = f"name-{entry_id}"
        form.labels = {field: N_("Neuer Name")}
        name = form.text(field, required=True, max_length=taxonomy_admin.MAX_NAME)
        if form.ok:
            try:
                if not await taxonomy_admin.rename(kind, entry_id, name):
                    raise NotFoundException()
            except taxonomy_admin.TaxonomyError as error:
                form.errors[field] = str(error)
        if not form.ok:
            return await _taxonomy_page(list_name, kind, rename_form=form, status=400)
        return flash(see_other(request, "admin:taxonomy", list_name=list_name), TAXONOMY_RENAMED)

    @post("/{list_name:str}/{entry_id:int}/stilllegen", name="admin:taxonomy_retire")
    async def retire(
        self, request: Request, list_name: FromPath[str], entry_id: FromPath[int]
    ) -> Redirect:
        if not await taxonomy_admin.set_retired(_kind(list_name), entry_id, retired=True):
            raise NotFoundException()
        return flash(see_other(request, "admin:taxonomy", list_name=list_name), TAXONOMY_RETIRED)

    @post("/{list_name:str}/{entry_id:int}/wieder-aufnehmen", name="admin:taxonomy_restore")
    async def restore(
        self, request: Request, list_name: FromPath[str], entry_id: FromPath[int]
    ) -> Redirect:
        if not await taxonomy_admin.set_retired(_kind(list_name), entry_id, retired=False):
            raise NotFoundException()
        return flash(see_other(request, "admin:taxonomy", list_name=list_name), TAXONOMY_RESTORED)


async def _taxonomy_page(
    list_name: str,
    kind: str,
    add_form: Form | None = None,
    rename_form: Form | None = None,
    status: int = 200,
) -> Template:
    return _page(
        "taxonomy",
        status,
        list_name=list_name,
        kind=kind,
        lists=[(path, taxonomy_admin.KIND_LABELS[k]) for path, k in TAXONOMY_PATHS.items()],
        list_label=taxonomy_admin.KIND_LABELS[kind],
        entries=await taxonomy_admin.entries(kind),
        add_form=add_form or Form(),
        rename_form=rename_form or Form(),
    )


CONTROLLERS = [AdminController, TaxonomyController]
