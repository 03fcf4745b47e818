"""The template globals of boerse/lib/templating.py: `_()` and `ngettext()` behave as Jinja's
new-style gettext (our msgids are safe, variables are escaped into them in HTML and left
alone in plain text); `fragment()` keeps rendered macros by locale and content; `url_for`
remembers the routes it reversed."""

from __future__ import annotations

from typing import Any

import pytest

from boerse.lib import templating
from boerse.lib.forms import Form
from boerse.lib.i18n import use_locale
from boerse.lib.templating import environment
from tests.support.factories import make_opportunity, make_organisation, make_session
from tests.support.fixtures import Client


def render(source: str, **context: object) -> str:
    return environment().from_string(source).render(**context)


def test_a_message_is_translated_and_kept_as_markup() -> None:
    with use_locale("en"):
        assert render('{{ _("Anmelden") }}') == "Sign in"
    assert render('{{ _("Anmelden") }}') == "Anmelden"


def test_variables_are_escaped_into_an_html_message() -> None:
    html = render('{{ _("Konten, Seite %(page)s von %(pages)s", page=p, pages=2) }}', p="<b>")
    assert html == "Konten, Seite &lt;b&gt; von 2"


def test_variables_are_left_alone_in_plain_text() -> None:
    text = render(
        '{% autoescape false %}{{ _("Konten, Seite %(page)s von %(pages)s", page=p, pages=2) }}'
        "{% endautoescape %}",
        p="A & B",
    )
    assert text == "Konten, Seite A & B von 2"


def test_a_doubled_percent_sign_is_one_with_or_without_variables() -> None:
    assert render('{{ _("10 %% Unterschied") }}') == "10 % Unterschied"
    assert render('{{ _("%(n)s %% mehr", n=3) }}') == "3 % mehr"


def test_ngettext_counts_with_num() -> None:
    source = '{{ ngettext("%(num)d passendes Angebot", "%(num)d passende Angebote", n) }}'
    assert render(source, n=1) == "1 passendes Angebot"
    assert render(source, n=3) == "3 passende Angebote"


BOX = '{% macro box(item) %}<b>{{ item.name }} {{ _("Anmelden") }}</b>{% endmacro %}'


def test_a_fragment_is_rendered_once_per_locale_and_content() -> None:
    item = {"name": "Gärten & Wege", "dates": [{"free": 3}]}
    first = render(BOX + "{{ fragment(box, item) }}", item=item)
    assert first == "<b>Gärten &amp; Wege Anmelden</b>"
    kept = dict(templating._fragments)
    assert render(BOX + "{{ fragment(box, item) }}", item=dict(item)) == first
    assert templating._fragments == kept
    with use_locale("en"):
        assert render(BOX + "{{ fragment(box, item) }}", item=item) == (
            "<b>Gärten &amp; Wege Sign in</b>"
        )
    changed = {"name": "Gärten & Wege", "dates": [{"free": 2}]}
    render(BOX + "{{ fragment(box, item) }}", item=changed)
    assert len(templating._fragments) == len(kept) + 2


def test_a_dict_and_a_list_of_pairs_are_different_keys() -> None:
    source = "{% macro show(x) %}{{ x }}{% endmacro %}{{ fragment(show, x) }}"
    assert render(source, x={"a": 1}) == "{&#39;a&#39;: 1}"
    assert render(source, x=[("a", 1)]) == "[(&#39;a&#39;, 1)]"


def test_an_item_that_cannot_be_a_key_is_rendered_every_time() -> None:
    kept = dict(templating._fragments)
    item = {"name": "Laub", "tags": {"a", "b"}}  # a set is not hashable
    assert render(BOX + "{{ fragment(box, item) }}", item=item) == "<b>Laub Anmelden</b>"
    assert templating._fragments == kept


def test_the_fragments_kept_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(templating, "FRAGMENTS_KEPT", 3)
    monkeypatch.setattr(templating, "_fragments", {})
    for n in range(6):
        render(BOX + "{{ fragment(box, item) }}", item={"name": str(n)})
    kept = [key[2] for key in templating._fragments]
    assert kept == [((dict, ("name", str(n))),) for n in (3, 4, 5)]


FIELD = (
    '{% from "_macros/forms.html" import select %}'
    '{{ fragment(select, form, "sort", "Sortierung", options, required=true) }}'
)


def test_a_form_field_is_kept_per_typed_value_and_error() -> None:
    options = [("next", "Nächster Termin"), ("newest", "Neueste zuerst")]
    chosen = render(FIELD, form=Form(values={"sort": "newest"}), options=options)
    assert '<option value="newest" selected>' in chosen
    assert render(FIELD, form=Form(values={"sort": "newest"}), options=options) == chosen
    other = render(FIELD, form=Form(values={"sort": "next"}), options=options)
    assert '<option value="next" selected>' in other
    wrong = render(FIELD, form=Form(values={"sort": "x"}, errors={"sort": "Bitte wählen."}),
                   options=options)  # fmt: skip
    assert "Bitte wählen." in wrong and 'aria-invalid="true"' in wrong


async def test_the_lists_links_are_the_routes_and_are_remembered(client: Client, app: Any) -> None:
    opportunity = await make_opportunity(await make_organisation())
    await make_session(opportunity)
    response = await client.get(app.route_reverse("opportunities:list"))
    detail = app.route_reverse("opportunities:detail", opportunity_id=opportunity.id)
    assert f'href="{detail}"' in response.text
    assert templating._route_urls[("opportunities:detail", ("opportunity_id", opportunity.id))] == (
        detail
    )
