"""Requirements on the web: officers set an offer's requirements and record the proofs
people show them; residents see what is stored about them; administrators keep the
qualification list."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from boerse.accounts.guards import requires_admin, requires_login, requires_officer
from boerse.lib.flash import flash, register
from boerse.lib.forms import Form
from boerse.lib.i18n import N_
from boerse.lib.i18n import gettext as _
from boerse.lib.routing import see_other
from boerse.requirements import rules, schemas, services
from boerse.requirements.upkeep import today

REQUIREMENTS_SAVED = register(
    "requirements_saved",
    N_("Die Voraussetzungen sind gespeichert. Sie gelten für alle neuen Anmeldungen."),
)
RECORD_SAVED = register("requirement_recorded", N_("Der Nachweis ist erfasst."))
RECORD_REMOVED = register("requirement_removed", N_("Der Nachweis ist gelöscht."))
QUALIFICATION_ADDED = register("qualification_added", N_("Die Qualifikation ist hinzugefügt."))


async def _edit_page(opportunity: dict, form: Form, status_code: int = 200) -> Template:
    chosen = [int(v) for v in form.many("qualifications") if v.isdigit()]
    context = {
        "opportunity": opportunity,
        "form": form,
        "choices": await services.qualification_choices(keep=chosen),
    }
    return Template("requirements/edit.html", context=context, status_code=status_code)


async def _people_page(request: Request, form: Form, status_code: int = 200) -> Template:
    organisation = None if request.user.is_admin else request.user.organisation_id
    context = {"form": form, "people": await services.people_to_check(organisation)}
    return Template("requirements/people.html", context=context, status_code=status_code)


async def _person_page(
    access: rules.PersonAccess,
    *,
    email: str = "",
    certificate_form: Form | None = None,
    qualification_form: Form | None = None,
    status_code: int = 200,
) -> Template:
    records = await services.records_of(access.person.id) if access.sees_records else []
    context = {
        "person": access.person,
        "sees_records": access.sees_records,
        "records": records,
        "email": "" if access.sees_records else email,
        "certificate_form": certificate_form or Form(),
        "qualification_form": qualification_form or Form(),
        "choices": await services.qualification_choices(),
        "results": schemas.RESULTS,
    }
    return Template("requirements/person.html", context=context, status_code=status_code)


async def _parse_certificate(form: Form) -> schemas.CertificateInput | None:
    return schemas.parse_certificate(form, today())


async def _parse_qualification(form: Form) -> schemas.QualificationInput | None:
    allowed = {id_ for id_, _name in await services.qualification_choices()}
    return schemas.parse_qualification(form, allowed, today())


async def _record_proof(
    request: Request,
    person_id: int,
    form_name: str,
    parse: Callable[[Form], Awaitable[schemas.Proof | None]],
) -> Template | Redirect:
    """One of the person page's two forms (`form_name` in its context): the officer found
    the person by address (carried in the form) and records what they were shown."""
    form = await Form.from_request(request)
    email = str(form.values.get("email", ""))
    access = await rules.access_person(request.user, person_id, email=email)
    proof = await parse(form)
    if proof is None:
        forms = {form_name: form}
        return await _person_page(access, email=email, status_code=400, **forms)
    officer = request.user
    if isinstance(proof, schemas.CertificateInput):
        await services.record_certificate(
            person_id, proof.issued_on, proof.relevant_entries, officer.organisation_id, officer.id
        )
    else:
        await services.record_qualification(
            person_id,
            proof.qualification_id,
            proof.valid_until,
            officer.organisation_id,
            officer.id,
        )
    return flash(see_other(request, "requirements:person", person_id=person_id), RECORD_SAVED)


class OfficerRequirementsController(Controller):
    """An offer's requirements, and "Nachweise erfassen"."""

    guards = [requires_officer]  # noqa: RUF012 - Litestar reads this class attribute

    @get("/angebote/{opportunity_id:int}/voraussetzungen", name="requirements:edit")
    async def edit(self, request: Request, opportunity_id: FromPath[int]) -> Template:
        opportunity = await rules.access_requirements(request.user, opportunity_id)
        kinds = [r.kind for r in await services.requirements_of(opportunity_id)]
        values = {
            "certificate": "on" if services.CERTIFICATE in kinds else "",
            "qualifications": [str(k) for k in kinds if k != services.CERTIFICATE],
        }
        return await _edit_page(opportunity, Form(values=values))

    @post("/angebote/{opportunity_id:int}/voraussetzungen", name="requirements:save")
    async def save(self, request: Request, opportunity_id: FromPath[int]) -> Template | Redirect:
        opportunity = await rules.access_requirements(request.user, opportunity_id)
        form = await Form.from_request(request)
        current = {r.kind for r in await services.requirements_of(opportunity_id)}
        allowed = await services.active_qualification_ids() | current
        kinds = schemas.parse_kinds(form, allowed)
        if kinds is None:
            return await _edit_page(opportunity, form, status_code=400)
        await services.set_requirements(opportunity_id, kinds)
        redirect = see_other(request, "opportunities:detail", opportunity_id=opportunity_id)
        return flash(redirect, REQUIREMENTS_SAVED)

    @get("/nachweise", name="requirements:people")
    async def people(self, request: Request) -> Template:
        return await _people_page(request, Form())

    @post("/nachweise/suchen", name="requirements:find")
    async def find(self, request: Request) -> Template:
        """By exact address only; the answer is the person's page, not a list."""
        form = await Form.from_request(request)
        email = form.email("email")
        found = await services.person_by_email(email) if form.ok else None
        if found is None:
            if form.ok:
                form.errors["email"] = _("Zu dieser E-Mail-Adresse gibt es kein Konto.")
            return await _people_page(request, form, status_code=400)
        access = await rules.access_person(request.user, found.id, email=email)
        return await _person_page(access, email=email)

    @get("/nachweise/personen/{person_id:int}", name="requirements:person")
    async def person(self, request: Request, person_id: FromPath[int]) -> Template:
        return await _person_page(await rules.access_person(request.user, person_id))

    @post(
        "/nachweise/personen/{person_id:int}/fuehrungszeugnis",
        name="requirements:record_certificate",
    )
    async def record_certificate(
        self, request: Request, person_id: FromPath[int]
    ) -> Template | Redirect:
        return await _record_proof(request, person_id, "certificate_form", _parse_certificate)

    @post(
        "/nachweise/personen/{person_id:int}/qualifikation",
        name="requirements:record_qualification",
    )
    async def record_qualification(
        self, request: Request, person_id: FromPath[int]
    ) -> Template | Redirect:
        return await _record_proof(request, person_id, "qualification_form", _parse_qualification)

    @post("/nachweise/personen/{person_id:int}/entfernen", name="requirements:remove")
    async def remove(self, request: Request, person_id: FromPath[int]) -> Redirect:
        access = await rules.access_person(request.user, person_id)
        form = await Form.from_request(request)
        record_id = form.integer("record", required=True, minimum=1)
        if record_id is not None and access.sees_records:
            await services.remove_record(person_id, record_id)
        return flash(see_other(request, "requirements:person", person_id=person_id), RECORD_REMOVED)


class MyRecordsController(Controller):
    @get("/profil/nachweise", name="requirements:mine", guards=[requires_login])
    async def mine(self, request: Request) -> Template:
        records = await services.records_of(request.user.id)
        return Template("requirements/mine.html", context={"records": records})


class QualificationAdminController(Controller):
    path = "/admin/qualifikationen"
    guards = [requires_admin]  # noqa: RUF012 - Litestar reads this class attribute

    async def _page(self, form: Form, status_code: int = 200) -> Template:
        context = {"form": form, "qualifications": await services.qualification_list()}
        return Template(
            "requirements/qualifications.html", context=context, status_code=status_code
        )

    @get("/", name="requirements:qualifications")
    async def index(self) -> Template:
        return await self._page(Form())

    @post("/", name="requirements:add_qualification")
    async def add(self, request: Request) -> Template | Redirect:
        form = await Form.from_request(request)
        name = schemas.parse_new_qualification(form)
        if name and await services.name_taken(name):
            form.errors["name"] = _("Diese Qualifikation steht schon in der Liste.")
        if not form.ok:
            return await self._page(form, status_code=400)
        await services.add_qualification(name)
        return flash(see_other(request, "requirements:qualifications"), QUALIFICATION_ADDED)


CONTROLLERS = [OfficerRequirementsController, MyRecordsController, QualificationAdminController]
