"""The Jinja environment shared by pages and emails: i18n, formatting filters, autoescape."""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, pass_context, pass_eval_context, select_autoescape
from jinja2.nodes import EvalContext
from jinja2.runtime import Context, Macro
from markupsafe import Markup

from boerse.lib import formatting
from boerse.lib.flash import NOTICES
from boerse.lib.i18n import current_locale, gettext, ngettext, translations
from boerse.settings import get_settings

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=select_autoescape(["html", "xml"], default_for_string=True),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        # Checking each template file for changes costs a stat per render; only development
        # edits templates while running.
        auto_reload=get_settings().dev_mode,
    )
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(_=template_gettext, gettext=template_gettext, ngettext=template_ngettext)
    env.filters.update(
        date_long=formatting.date_long,
        date_short=formatting.date_short,
        time_short=formatting.time_short,
        datetime_short=formatting.datetime_short,
        number=formatting.number,
        duration=formatting.duration,
        waiting_since=formatting.waiting_since,
        translated=translated,
    )
    env.globals.update(
        session_range=formatting.session_range,
        fragment=fragment,
        current_locale=current_locale.get,
        settings=get_settings(),
        notices=NOTICES,
    )
    return env


@pass_eval_context
def template_gettext(eval_ctx: EvalContext, message: str, **variables: Any) -> str:
    """`_()` in templates, as Jinja's new-style gettext behaves: our msgid's translation is
    safe in an autoescaped template, the variables are escaped into it, and `%%` is a percent
    sign. Jinja's own goes through two context calls and always formats, even a message
    without variables; the public list calls `_()` about 200 times, so this one does less."""
    if not variables and eval_ctx.autoescape:
        return _safe_translation(current_locale.get(), message)
    return _formatted(eval_ctx, gettext(message), variables)


@lru_cache(maxsize=4096)
def _safe_translation(locale: str, message: str) -> Markup:
    text = Markup(translations(locale).gettext(message))  # noqa: S704 - our msgid
    return text % {} if "%" in text else text


@pass_eval_context
def template_ngettext(
    eval_ctx: EvalContext, singular: str, plural: str, num: int, **variables: Any
) -> str:
    variables.setdefault("num", num)
    return _formatted(eval_ctx, ngettext(singular, plural, num), variables)


def _formatted(eval_ctx: EvalContext, text: str, variables: dict[str, Any]) -> str:
    if eval_ctx.autoescape:
        text = Markup(text)  # noqa: S704 - our msgid, as in Jinja's gettext
    return text % variables if variables or "%" in text else text


@pass_context
def url_for(context: Context, route_name: str, **path_parameters: Any) -> str:
    """Litestar's `url_for`, remembered per route and parameters: every app this process
    builds has the same routes (`route_handlers()`), and reversing a route cost a twentieth
    of the public list's time (twenty cards, each with its link)."""
    try:
        key = (route_name, *sorted(path_parameters.items()))
        hash(key)
    except TypeError:
        return str(context["request"].app.route_reverse(route_name, **path_parameters))
    url = _route_urls.get(key)
    if url is None:
        url = _route_urls[key] = context["request"].app.route_reverse(route_name, **path_parameters)
        if len(_route_urls) > ROUTE_URLS_KEPT:
            _route_urls.pop(next(iter(_route_urls)))
    return url


ROUTE_URLS_KEPT = 20_000
_route_urls: dict[tuple[Any, ...], str] = {}


def fragment(macro: Macro, *args: Any, **kwargs: Any) -> str:
    """`macro(*args, **kwargs)`, rendered once per locale and arguments: an offer's card is
    the same HTML for everyone who sees the same offer with the same next date, free places
    and distance, and rendering the cards was a third of the public list's time (the list's
    filter selects, with their forty options, another twelfth). The key is the macro's code,
    the locale and every value of the arguments, so a changed offer is a new key and nothing
    is ever stale. The macro must depend on nothing else: its arguments, translations and
    constants. Arguments holding something unhashable are rendered every time."""
    try:
        key = (macro._func.__code__, current_locale.get(), _frozen(args), _frozen(kwargs))
        html = _fragments.get(key)
    except TypeError:
        return macro(*args, **kwargs)
    if html is None:
        html = _fragments[key] = macro(*args, **kwargs)
        if len(_fragments) > FRAGMENTS_KEPT:
            _fragments.pop(next(iter(_fragments)))
    return html


FRAGMENTS_KEPT = 5_000
_fragments: dict[tuple[Any, ...], str] = {}


def _frozen(value: Any) -> Any:
    """A hashable stand-in for `value` that is equal exactly when the values are: dicts,
    lists and the fields of unhashable dataclasses (a form) become tagged tuples. (As in
    Python, 1, 1.0 and True are equal; a column always gives one type, so they never meet.)"""
    if isinstance(value, dict):
        return (dict, *[(k, _frozen(v)) for k, v in value.items()])
    if isinstance(value, list):
        return tuple([_frozen(v) for v in value])
    if isinstance(value, tuple):
        try:
            hash(value)
        except TypeError:
            return tuple([_frozen(v) for v in value])
        return value
    if is_dataclass(value) and not isinstance(value, type) and value.__hash__ is None:
        return (type(value), *[_frozen(getattr(value, f.name)) for f in fields(value)])
    return value


def translated(value: Any) -> str:
    """A value's translation, for labels that are data (a skill's or field's name, a status
    label from Python). `_()` marks its result safe, which is right only for our own msgids
    written in the template; a name a resident typed must still be escaped, and a plain
    `str` from here is."""
    return str(gettext(str(value)))


def render(template_name: str, **context: Any) -> str:
    """Render outside a request (emails, calendar descriptions)."""
    return environment().get_template(template_name).render(**context)
