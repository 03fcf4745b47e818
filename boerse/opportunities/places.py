"""How a place is written out, the same everywhere (offer page, Meine Termine, calendar)."""

from __future__ import annotations


def address_line(address: str, postcode: str, locality: str) -> str:
    """'Venue, street, postcode town', leaving out a part an earlier part already says: an
    address typed as "Stadtpark, Eingang Parkstraße, Parkstraße" names the street once."""
    parts: list[str] = []
    for part in (piece.strip() for piece in address.split(",")):
        if part and not any(part.lower() in earlier.lower() for earlier in parts):
            parts.append(part)
    town = " ".join(piece for piece in (postcode, locality) if piece)
    if town and not any(town.lower() in earlier.lower() for earlier in parts):
        parts.append(town)
    return ", ".join(parts)
