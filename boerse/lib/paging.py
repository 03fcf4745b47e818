"""Which page numbers a pagination shows: a long list of pages must not make a long page."""

from __future__ import annotations


def page_numbers(page: int, pages: int, around: int = 2) -> list[int | None]:
    """The first and last page, the pages within `around` of the current one, and None where
    numbers are left out (shown as a gap). Listing every page made the public list's HTML
    grow with the town (500 links at 10,000 offers); this is at most 2 × around + 5 items."""
    shown = {1, pages, *range(max(1, page - around), min(pages, page + around) + 1)}
    numbers: list[int | None] = []
    for number in sorted(shown):
        if numbers and number - (numbers[-1] or 0) == 2:
            numbers.append(number - 1)  # a gap of one page: show it rather than "…"
        elif numbers and number - (numbers[-1] or 0) > 2:
            numbers.append(None)
        numbers.append(number)
    return numbers
