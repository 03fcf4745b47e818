"""The one-click unsubscribe of RFC 8058: a mail program that read `List-Unsubscribe-Post:
List-Unsubscribe=One-Click` POSTs `List-Unsubscribe=One-Click` to the link of the mail's
`List-Unsubscribe` header, without cookies, login or CSRF token.

Such a route is authenticated by the key in its URL alone (exempt it with
`exclude_from_csrf=True`): a forged request would need that key, and all it can do is what
the link in the mail does. It answers a one-click POST with 200, not a redirect, which the
RFC asks mail programs not to follow."""

from __future__ import annotations

from litestar import Request

FIELD = "List-Unsubscribe"
VALUE = "One-Click"


async def is_one_click(request: Request) -> bool:
    """Whether this POST comes from a mail program's one-click unsubscribe."""
    form = await request.form()
    return form.get(FIELD) == VALUE
