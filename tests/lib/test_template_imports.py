"""A macro that builds a link needs the page's context. Jinja imports macros without it (and
keeps the imported module), and our `url_for` reads the request from the context whenever
its cache lacks the link, so a linking macro imported plainly works only while some earlier
page has asked for the same link: the guest's page answered 500 as a process's first page."""

from __future__ import annotations

import re
from pathlib import Path

import boerse
from boerse.lib import templating

TEMPLATES = Path(boerse.__file__).parent / "templates"
COMMENT = re.compile(r"\{#.*?#\}", re.S)
MACRO = re.compile(r"\{%-?\s*macro\s+(\w+)\((.*?)\{%-?\s*endmacro", re.S)
IMPORT = re.compile(r'\{%-?\s*from\s+"([^"]+)"\s+import\s+(.*?)-?%\}', re.S)


def _source(path: Path) -> str:
    return COMMENT.sub("", path.read_text())


def linking_macros(template: str) -> set[str]:
    """The macros of `template` whose body calls url_for."""
    path = TEMPLATES / template
    if not path.exists():
        return set()
    return {name for name, body in MACRO.findall(_source(path)) if "url_for(" in body}


def plain_imports_of_linking_macros(root: Path) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.html")):
        for template, names in IMPORT.findall(_source(path)):
            if names.rstrip().endswith("with context"):
                continue
            imported = {name.split(" as ")[0].strip() for name in names.split(",")}
            for name in sorted(imported & linking_macros(template)):
                found.append(f"{path.relative_to(root)} imports {name} from {template}")
    return found


def test_the_consent_macro_links_to_the_privacy_notice() -> None:
    assert "consent" in linking_macros("_macros/forms.html")


def test_macros_that_link_are_imported_with_context() -> None:
    assert plain_imports_of_linking_macros(TEMPLATES) == []


async def test_the_registration_form_renders_as_a_process_s_first_page(client) -> None:
    """Nothing remembered yet: the consent macro builds its privacy link itself."""
    templating._route_urls.clear()
    response = await client.get("/konto/registrieren")
    assert response.status_code == 200
    assert 'href="/datenschutz"' in response.text
