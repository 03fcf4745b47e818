"""Markdown of the legal pages: admin text can format, never inject markup or script."""

from __future__ import annotations

import pytest

from boerse.legal.markdown import placeholders, render_markdown


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        '<a href="https://example.org" onclick="alert(1)">x</a>',
        "<iframe src=//evil.example></iframe>",
    ],
)
def test_raw_html_is_shown_as_text(text: str) -> None:
    html = render_markdown(text)
    assert "<script" not in html and "<img" not in html and "<iframe" not in html
    assert "<a href" not in html
    assert "&lt;" in html


@pytest.mark.parametrize(
    "link",
    [
        "[x](javascript:alert(1))",
        "[x](JavaScript:alert(1))",
        "[x](&#106;avascript:alert(1))",
        "[x](vbscript:msgbox(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "[x](file:///etc/passwd)",
        "<javascript:alert(1)>",
        "[x][ref]\n\n[ref]: javascript:alert(1)",
    ],
)
def test_dangerous_link_targets_are_not_linked(link: str) -> None:
    """markdown-it's validateLink refuses these schemes: the text stays, no href appears."""
    html = render_markdown(link)
    assert "<a" not in html and "href" not in html


def test_web_and_mail_links_work_with_the_design_systems_class() -> None:
    html = render_markdown("[Stadt](https://www.lindenau.example) <info@lindenau.example>")
    assert '<a href="https://www.lindenau.example" class="kern-link">Stadt</a>' in html
    assert '<a href="mailto:info@lindenau.example" class="kern-link">' in html


def test_images_are_not_embedded() -> None:
    html = render_markdown("![Logo](https://tracker.example/pixel.png)")
    assert "<img" not in html


def test_a_top_level_heading_becomes_h2_below_the_page_title() -> None:
    html = render_markdown("# Kontakt\n\n## Anschrift\n\n### Postfach")
    assert "<h1" not in html
    assert "<h2>Kontakt</h2>" in html and "<h2>Anschrift</h2>" in html
    assert "<h3>Postfach</h3>" in html


def test_a_line_break_is_a_new_line_and_a_blank_line_a_new_paragraph() -> None:
    html = render_markdown("Stadt Lindenau\nMarktplatz 1\n\nTelefon")
    assert html == "<p>Stadt Lindenau<br />\nMarktplatz 1</p>\n<p>Telefon</p>\n"


def test_placeholders_are_bracketed_texts_that_are_not_links() -> None:
    text = (
        "[Name der Stadtverwaltung], [Telefonnummer]\n"
        "[ein Link](https://example.org) und [Referenz][r] und [Name der Stadtverwaltung]\n\n"
        "[r]: https://example.org"
    )
    assert placeholders(text) == ["[Name der Stadtverwaltung]", "[Telefonnummer]"]
    assert placeholders("Alles ausgefüllt.") == []
