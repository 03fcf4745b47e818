"""Accessibility: what a resident needs and what an opportunity offers share one list of
slugs, so a need is met exactly when the opportunity lists the same slug."""

from __future__ import annotations

from boerse.lib.i18n import N_

ACCESSIBILITY: list[tuple[str, str]] = [
    ("wheelchair", N_("Rollstuhlgerecht (stufenlos, WC)")),
    ("hearing_loop", N_("Induktionsschleife / Höranlage")),
    ("sign_language", N_("Gebärdensprache")),
    ("simple_language", N_("Einfache Sprache")),
    ("quiet_space", N_("Ruhiger Rückzugsraum")),
    ("seating", N_("Sitzgelegenheit, Arbeit im Sitzen möglich")),
    ("guide_dog", N_("Assistenzhund willkommen")),
    ("public_transport", N_("Barrierefrei mit Bus und Bahn erreichbar")),
]
ACCESSIBILITY_SLUGS = {slug for slug, _ in ACCESSIBILITY}


def unmet_needs(
    needs: list[str] | tuple[str, ...], features: list[str] | tuple[str, ...]
) -> list[str]:
    """The needs an opportunity does not offer, in the list's order (empty: all met)."""
    offered = set(features)
    return [slug for slug, _ in ACCESSIBILITY if slug in needs and slug not in offered]
