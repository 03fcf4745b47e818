"""Logging for the web and worker processes: one line format, and no secret in any line.

One-time links carry their key in the address (email verification and password reset in the
query, the survey and the calendar feed in the path), uvicorn's access log writes every path
with its query, arq logs each job's arguments and errors may quote an email address. A log
line outlives the link's validity and is read by more people than the link's owner, so a
filter on every handler rewrites each record before any formatter sees it:

- the path segment after a prefix that is a key by itself (`SECRET_PATH_PREFIXES`, from the
  routes whose path parameter is the secret) becomes `[redacted]`;
- the value of a query parameter with a secret-sounding name (`SECRET_QUERY_NAMES`) too;
- any other long random-looking run of URL-safe characters too (tokens of a future route);
- email addresses, plain or percent-encoded, become `[email]`.

The filter sits on handlers, not on loggers, so it sees records propagated from every
library (uvicorn.access, arq.worker, our own) whatever logger they were sent to."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
REDACTED = "[redacted]"
EMAIL_REDACTED = "[email]"

# Routes whose path parameter is the only key: /umfrage/{token} (surveys:answer, :submit)
# and /kalender/{token}.ics (signups:feed). `/umfrage/danke` is the public thank-you page.
SECRET_PATH_PREFIXES = (
    "umfrage",
    "kalender",
    "anmeldung",  # a sign-up's personal link (signup_link:*)
    "bestaetigen",  # a guest's confirmation link (guests:confirm)
    "einchecken",  # a date's check-in code (checkin:scan)
    "nachweis-pruefen",  # an Engagementnachweis's verification code
)
# Segments after such a prefix that are pages, not keys: the survey's thanks, and
# /einchecken/anmeldung/{token}, whose key follows (and is caught by "anmeldung").
PUBLIC_SEGMENTS = ("danke", "anmeldung")
# Query parameters whose value is a key: ?token= (accounts:verify, accounts:reset) and the
# names other one-time or signed links commonly use.
SECRET_QUERY_NAMES = ("token", "t", "key", "code", "secret", "signature", "sig", "otp")

_SLASH = r"(?:/|%2[fF])"
_SECRET_SEGMENT = re.compile(
    rf"(?P<prefix>{_SLASH}(?:{'|'.join(SECRET_PATH_PREFIXES)}){_SLASH})"
    rf"(?!(?:{'|'.join(PUBLIC_SEGMENTS)})(?:[/?#&\s\"']|%2[fF]|%3[fF]|$))"
    r"[^/?#&\s\"'%]+"
)
# /mitbewerten/{slug}/{token} (assessments:answer_link): the slug is public (it is on posters),
# the segment after it is a single-use link's key, unless it is one of the public pages
# (the officers' pages under /verwaltung/mitbewerten/<id>/ carry no key).
ASSESSMENT_PUBLIC_SEGMENTS = ("antworten", "danke")
_ASSESSMENT_LINK = re.compile(
    rf"(?<!verwaltung)(?P<prefix>{_SLASH}mitbewerten{_SLASH}[A-Za-z0-9_-]+{_SLASH})"
    rf"(?!(?:{'|'.join(ASSESSMENT_PUBLIC_SEGMENTS)})(?:[/?#&\s\"']|%2[fF]|%3[fF]|$))"
    r"[^/?#&\s\"'%]+"
)
_SECRET_QUERY = re.compile(
    rf"(?P<name>(?:[?&;]|%3[fF]|%26)(?:{'|'.join(SECRET_QUERY_NAMES)})(?:=|%3[dD]))"
    r"[^&#\s\"']+",
    re.IGNORECASE,
)
# secrets.token_urlsafe(32) gives 43 characters; hex digests 40 or 64. Words, slugs and
# route names have no digit, or are shorter.
_RANDOM_RUN = re.compile(r"(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{24,}(?![A-Za-z0-9_-])")
# A password hash (the registration job carries one to the worker): never in a log line.
_PASSWORD_HASH = re.compile(r"\$argon2[a-z]*\$[^\s'\")]+")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+(?:@|%40)[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")


def _random_looking(run: str) -> bool:
    has_digit = any(c.isdigit() for c in run)
    has_upper = any(c.isupper() for c in run)
    has_lower = any(c.islower() for c in run)
    return (has_digit and (has_upper or has_lower)) or (has_upper and has_lower and len(run) >= 32)


def redact(text: str) -> str:
    """`text` with every token and email address replaced by a placeholder."""
    text = _PASSWORD_HASH.sub(REDACTED, text)
    text = _EMAIL.sub(EMAIL_REDACTED, text)
    text = _SECRET_SEGMENT.sub(lambda m: m["prefix"] + REDACTED, text)
    text = _ASSESSMENT_LINK.sub(lambda m: m["prefix"] + REDACTED, text)
    text = _SECRET_QUERY.sub(lambda m: m["name"] + REDACTED, text)
    return _RANDOM_RUN.sub(lambda m: REDACTED if _random_looking(m[0]) else m[0], text)


def _redact_value(value: Any) -> Any:
    """Strings redacted; numbers and None kept for their %d/%f; other objects (exceptions,
    lists of job arguments) replaced by their redacted text only where it changes."""
    if isinstance(value, str):
        return redact(value)
    if value is None or isinstance(value, int | float):
        return value
    text = str(value)
    cleaned = redact(text)
    return value if cleaned == text else cleaned


class RedactingFilter(logging.Filter):
    """Rewrites message, arguments, exception text and stack of each record it sees; the
    argument tuple keeps its shape, because uvicorn's access formatter unpacks it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "boerse_redacted", False):
            return True
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, Mapping):
            record.args = {key: _redact_value(value) for key, value in record.args.items()}
        elif isinstance(record.args, tuple):
            record.args = tuple(_redact_value(value) for value in record.args)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        record.boerse_redacted = True
        return True


def install_redaction() -> None:
    """Puts the filter on every handler configured so far (root's, uvicorn's, any other)."""
    loggers = [logging.getLogger()]
    loggers += [
        logger
        for logger in logging.Logger.manager.loggerDict.values()
        if isinstance(logger, logging.Logger)
    ]
    for logger in loggers:
        for handler in logger.handlers:
            if not any(isinstance(f, RedactingFilter) for f in handler.filters):
                handler.addFilter(RedactingFilter())


def configure_logging() -> None:
    """Web app and worker: INFO to stderr in one format unless logging is set up already
    (uvicorn's `log_config`, a test runner), and redaction on every handler either way."""
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter(FORMAT))
        root.addHandler(handler)
    root.setLevel(logging.INFO)
    install_redaction()


def uvicorn_log_config() -> dict[str, Any]:
    """uvicorn's `log_config` for `boerse serve`: the application's format for server, access
    and application lines, redacted from the first line on (also in worker processes uvicorn
    spawns with `--workers`, which apply this config again)."""
    formatter = {"()": "logging.Formatter", "fmt": FORMAT}
    redacting = {"filters": ["redact"], "class": "logging.StreamHandler"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"redact": {"()": RedactingFilter}},
        "formatters": {"default": formatter, "access": dict(formatter)},
        "handlers": {
            "default": {**redacting, "formatter": "default", "stream": "ext://sys.stderr"},
            "access": {**redacting, "formatter": "access", "stream": "ext://sys.stdout"},
        },
        "loggers": {
            "uvicorn": {"handlers": ["default"], "level": "INFO", "propagate": False},
            "uvicorn.error": {"level": "INFO"},
            "uvicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
        },
        "root": {"handlers": ["default"], "level": "INFO"},
    }
