"""Names of the legal pages: their titles, their German path segments and public routes."""

from __future__ import annotations

from boerse.legal.tables import LegalPageKind
from boerse.lib.i18n import N_

TITLES: dict[LegalPageKind, str] = {
    LegalPageKind.IMPRINT: N_("Impressum"),
    LegalPageKind.PRIVACY: N_("Datenschutzerklärung"),
    LegalPageKind.ACCESSIBILITY: N_("Erklärung zur Barrierefreiheit"),
}

SLUGS: dict[str, LegalPageKind] = {
    "impressum": LegalPageKind.IMPRINT,
    "datenschutz": LegalPageKind.PRIVACY,
    "barrierefreiheit": LegalPageKind.ACCESSIBILITY,
}
"""The path segment of each page in the administration, the same word as its public path."""

SLUG_OF: dict[LegalPageKind, str] = {kind: slug for slug, kind in SLUGS.items()}

PUBLIC_ROUTES: dict[LegalPageKind, str] = {
    LegalPageKind.IMPRINT: "pages:imprint",
    LegalPageKind.PRIVACY: "pages:privacy",
    LegalPageKind.ACCESSIBILITY: "pages:accessibility",
}
