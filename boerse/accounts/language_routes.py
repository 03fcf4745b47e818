"""The language a person's emails are written in, set on their account page.

The footer's language link only changes the language of the pages in this browser (a
cookie); the stored language changes only here, on purpose: a look at the English pages
must not turn the mails of a German-speaking resident into English ones."""

from __future__ import annotations

from litestar import Controller, Request, post
from litestar.datastructures import Cookie
from litestar.response import Redirect, Template

from boerse.accounts import services
from boerse.accounts.guards import requires_login
from boerse.lib.flash import flash, register
from boerse.lib.forms import Form
from boerse.lib.i18n import N_, SUPPORTED_LOCALES
from boerse.lib.middleware import LOCALE_COOKIE
from boerse.lib.routing import see_other

register("language_changed", N_("Ihre Spracheinstellung ist gespeichert."))

LOCALE_COOKIE_AGE = 365 * 24 * 3600


class LanguageController(Controller):
    path = "/konto"

    @post("/sprache", name="accounts:language", guards=[requires_login])
    async def change(self, request: Request) -> Template | Redirect:
        form = await Form.from_request(request)
        form.labels = {"language": N_("Sprache der E-Mails")}
        language = form.choice("language", SUPPORTED_LOCALES)
        if not form.ok:
            return Template(
                template_name="accounts/overview.html", context={"form": form}, status_code=400
            )
        await services.set_language(request.user.id, language)
        # The pages follow the new setting at once, so the notice is in the chosen language.
        response = see_other(request, "accounts:overview")
        response.cookies.append(
            Cookie(
                key=LOCALE_COOKIE,
                value=language,
                max_age=LOCALE_COOKIE_AGE,
                path="/",
                samesite="lax",
                httponly=False,
            )
        )
        return flash(response, "language_changed")


CONTROLLERS = [LanguageController]
