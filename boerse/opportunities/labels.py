"""Human labels for the opportunity enums: German msgids, translated when rendered.

Kept apart from tables.py so that templates, forms and the dashboard share one wording."""

from __future__ import annotations

from boerse.lib.i18n import N_
from boerse.opportunities.tables import Mode, OpportunityStatus

MODE_LABELS: dict[str, str] = {
    Mode.CO_COMMISSION.value: N_("Mit-Steuern"),
    Mode.CO_DESIGN.value: N_("Mit-Entwickeln"),
    Mode.CO_DELIVER.value: N_("Mit-Umsetzen"),
    Mode.CO_ASSESS.value: N_("Mit-Bewerten"),
}

MODE_EXPLANATIONS: dict[str, str] = {
    Mode.CO_COMMISSION.value: N_(
        "Sie entscheiden mit, welche Ziele und Schwerpunkte eine Leistung der Stadt haben soll."
    ),
    Mode.CO_DESIGN.value: N_(
        "Sie gestalten ein Angebot oder einen Ablauf mit, bevor er umgesetzt wird."
    ),
    Mode.CO_DELIVER.value: N_(
        "Sie packen selbst mit an und erbringen eine Leistung gemeinsam mit der Stadt."
    ),
    Mode.CO_ASSESS.value: N_(
        "Sie prüfen und bewerten, wie gut eine Leistung wirkt, und sagen, was besser werden kann."
    ),
}

STATUS_LABELS: dict[str, str] = {
    OpportunityStatus.DRAFT.value: N_("Entwurf"),
    OpportunityStatus.PUBLISHED.value: N_("Veröffentlicht"),
    OpportunityStatus.CLOSED.value: N_("Geschlossen"),
}

# KERN badge variants per status, so the state is visible at a glance (the text says it too).
STATUS_BADGES: dict[str, str] = {
    OpportunityStatus.DRAFT.value: "warning",
    OpportunityStatus.PUBLISHED.value: "success",
    OpportunityStatus.CLOSED.value: "info",
}

SORT_LABELS: dict[str, str] = {
    "next": N_("Nächster Termin"),
    "newest": N_("Neueste zuerst"),
    "distance": N_("Entfernung (mit Postleitzahl)"),
}
