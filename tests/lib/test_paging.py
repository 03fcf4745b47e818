"""The page numbers a pagination shows."""

from __future__ import annotations

import pytest

from boerse.lib.paging import page_numbers


@pytest.mark.parametrize(
    ("page", "pages", "expected"),
    [
        (1, 1, [1]),
        (1, 5, [1, 2, 3, 4, 5]),
        (1, 500, [1, 2, 3, None, 500]),
        (250, 500, [1, None, 248, 249, 250, 251, 252, None, 500]),
        (500, 500, [1, None, 498, 499, 500]),
        (5, 9, [1, 2, 3, 4, 5, 6, 7, 8, 9]),
        (6, 12, [1, None, 4, 5, 6, 7, 8, None, 12]),
    ],
)
def test_first_last_and_the_neighbours_of_the_current_page(
    page: int, pages: int, expected: list[int | None]
) -> None:
    assert page_numbers(page, pages) == expected


def test_the_number_of_links_does_not_grow_with_the_pages() -> None:
    assert max(len(page_numbers(page, 10_000)) for page in range(1, 10_001)) == 9
