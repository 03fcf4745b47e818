"""The organisation form (text fields and an optional logo upload), checked as a whole."""

from __future__ import annotations

from dataclasses import dataclass

from litestar.datastructures import UploadFile

from boerse.accounts.schemas import is_web_address
from boerse.lib.forms import EMAIL_PATTERN, Form
from boerse.lib.i18n import N_
from boerse.lib.i18n import gettext as _
from boerse.organisations.logos import MAX_LOGO_BYTES, sniff_image_type

LABELS = {
    "name": N_("Name"),
    "description": N_("Beschreibung"),
    "website": N_("Website"),
    "contact_name": N_("Ansprechperson"),
    "contact_email": N_("E-Mail-Adresse"),
    "contact_phone": N_("Telefon"),
    "logo": N_("Logo"),
}


@dataclass(frozen=True)
class Logo:
    data: bytes
    mime: str


@dataclass(frozen=True)
class OrganisationEdit:
    name: str
    description: str
    website: str
    contact_name: str
    contact_email: str
    contact_phone: str
    logo: Logo | None
    """A new logo; None keeps the current one (unless `remove_logo`)."""
    remove_logo: bool


async def _read_logo(form: Form) -> Logo | None:
    """The uploaded file, read at most one byte beyond the limit; its type from its bytes."""
    upload = form.values.pop("logo", None)
    if not isinstance(upload, UploadFile):
        return None
    try:
        data = await upload.read(MAX_LOGO_BYTES + 1)
    finally:
        await upload.close()
    if not data and not upload.filename:
        return None
    if len(data) > MAX_LOGO_BYTES:
        form.errors["logo"] = _(
            "Das Logo ist zu groß. Bitte laden Sie eine Datei mit höchstens {kb} KB hoch."
        ).format(kb=MAX_LOGO_BYTES // 1024)
        return None
    mime = sniff_image_type(data)
    if mime is None:
        form.errors["logo"] = _(
            "Diese Datei ist kein Bild im Format PNG, JPEG oder WebP. "
            "Bitte wählen Sie eine andere Datei."
        )
        return None
    return Logo(data=data, mime=mime)


async def parse_organisation_edit(form: Form) -> OrganisationEdit | None:
    """None when something is wrong (reasons in `form.errors`). A chosen file cannot be
    put back into the form after an error; the form's hint asks to choose it again."""
    form.labels = LABELS
    logo = await _read_logo(form)
    name = form.text("name", required=True, max_length=200)
    description = form.text("description", max_length=2000).replace("\r\n", "\n")
    website = form.text("website", max_length=300)
    if website and not is_web_address(website):
        form.errors["website"] = _(
            "Bitte geben Sie die Adresse vollständig ein, z. B. https://www.beispiel.de."
        )
    contact_name = form.text("contact_name", max_length=100)
    contact_email = form.text("contact_email", max_length=254).lower()
    if contact_email and not EMAIL_PATTERN.match(contact_email):
        form.errors["contact_email"] = _(
            "Bitte geben Sie eine gültige E-Mail-Adresse ein, z. B. name@beispiel.de."
        )
    contact_phone = form.text("contact_phone", max_length=50)
    remove_logo = form.checkbox("remove_logo")
    if not form.ok:
        return None
    return OrganisationEdit(
        name=name,
        description=description,
        website=website,
        contact_name=contact_name,
        contact_email=contact_email,
        contact_phone=contact_phone,
        logo=logo,
        remove_logo=remove_logo and logo is None,
    )


def form_values(row: dict) -> dict[str, str]:
    return {
        key: row[key]
        for key in (
            "name",
            "description",
            "website",
            "contact_name",
            "contact_email",
            "contact_phone",
        )
    }
