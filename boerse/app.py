"""Application factory: routes, templates, security, lifespan of the database and the queue."""

from __future__ import annotations

from pathlib import Path

from litestar import Litestar, Router
from litestar.middleware import DefineMiddleware
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

from boerse.accounts.auth import SESSION_COOKIE, SessionAuthMiddleware
from boerse.api.problems import PROBLEM_HANDLERS
from boerse.api.router import API_PATH, api_headers, api_router, openapi_config
from boerse.audit.context import audit_actor_middleware
from boerse.lib.caching import HttpCachingMiddleware, StaticFingerprints
from boerse.lib.csrf import CSRFMiddleware
from boerse.lib.db import close_database, open_database
from boerse.lib.errors import EXCEPTION_HANDLERS, refuse_impossible_ids, under_prefix
from boerse.lib.headers import security_headers_hook
from boerse.lib.logs import configure_logging
from boerse.lib.middleware import locale_and_notice_middleware
from boerse.lib.queue import close_queue
from boerse.lib.runtime import tune_garbage_collector
from boerse.lib.templating import environment, url_for
from boerse.routes import route_handlers
from boerse.settings import PROJECT_ROOT, _env_bool, get_settings

STATIC_DIRECTORIES = [
    Path(__file__).resolve().parent / "static",
    PROJECT_ROOT / "node_modules" / "@kern-ux" / "native" / "dist",
    PROJECT_ROOT / "node_modules" / "htmx.org" / "dist",
    PROJECT_ROOT / "node_modules" / "leaflet" / "dist",
]

# The files base.html links with static_url(); hashed at start-up rather than at first use.
LINKED_STATIC_FILES = ["kern.min.css", "fonts/fira-sans.css", "app.css", "htmx.min.js"]


def create_app() -> Litestar:
    settings = get_settings()
    settings.require_strong_secret()
    configure_logging()
    static = create_static_files_router(
        path="/static", directories=STATIC_DIRECTORIES, name="static", include_in_schema=False
    )
    fingerprints = StaticFingerprints(STATIC_DIRECTORIES, dev_mode=settings.dev_mode)
    fingerprints.warm(LINKED_STATIC_FILES)
    templates = environment()
    engine = JinjaTemplateEngine.from_environment(templates)
    # After the engine, which registers Litestar's own `url_for`.
    templates.globals.update(static_url=fingerprints.template_global(), url_for=url_for)
    return Litestar(
        route_handlers=[
            Router(path="/", route_handlers=route_handlers(), include_in_schema=False),
            static,
            api_router(),
        ],
        template_config=TemplateConfig(engine=engine),
        middleware=[
            # Outermost: it sees the final, uncompressed body (boerse/lib/caching.py).
            DefineMiddleware(
                HttpCachingMiddleware,
                session_cookie=SESSION_COOKIE,
                fingerprints=fingerprints,
                compress=_env_bool("COMPRESS_RESPONSES", True),
            ),
            locale_and_notice_middleware,
            CSRFMiddleware(settings.secret_key, SESSION_COOKIE, settings.secure_cookies),
            DefineMiddleware(SessionAuthMiddleware, exclude=["^/static/", "^/api/"]),
            audit_actor_middleware,
        ],
        exception_handlers=under_prefix(EXCEPTION_HANDLERS, f"{API_PATH}/", PROBLEM_HANDLERS),
        before_request=refuse_impossible_ids,
        before_send=[
            security_headers_hook(settings.base_url, settings.map_tile_origin),
            api_headers,
        ],
        on_startup=[open_database, tune_garbage_collector],
        on_shutdown=[close_queue, close_database],
        openapi_config=openapi_config(),
        # Logging stays as configure_logging() set it up: Litestar's default config would
        # replace the root handler, and with it the filter that keeps secrets out of logs.
        logging_config=None,
        debug=False,
    )
