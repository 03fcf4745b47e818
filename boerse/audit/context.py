"""Who is acting in this request, for the audit log.

A ContextVar set once per request (from the logged-in user and the client address) lets a
service write its audit entry with one line, inside its own transaction, without every
service signature growing an actor parameter. Outside a request (worker, command line,
demo loader) the actor is the system unless `acting_as` names someone."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from litestar.types import ASGIApp, Receive, Scope, Send

# A data-protection officer prefers the network to the address: the network answers "from
# the town hall or from outside?" without pointing at one household's connection.
IPV4_PREFIX = 24
IPV6_PREFIX = 48
SYSTEM_ROLE = "system"


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    role: str
    label: str
    network: str = ""


SYSTEM = Actor(user_id=None, role=SYSTEM_ROLE, label="")

# Inside a request the middleware stores only (user, client address): the Actor, with its
# network, is built when an entry is written, not on every request.
_current: ContextVar[Actor | tuple[object | None, str | None] | None] = ContextVar(
    "audit_actor", default=None
)


def client_network(address: str | None) -> str:
    """The /24 (IPv4) or /48 (IPv6) network of an address; "" for anything that is not one."""
    if not address:
        return ""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return ""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    prefix = IPV4_PREFIX if ip.version == 4 else IPV6_PREFIX
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def current_actor() -> Actor:
    current = _current.get()
    if isinstance(current, tuple):
        current = actor_of(*current)
    return current or SYSTEM


@contextmanager
def acting_as(actor: Actor) -> Iterator[Actor]:
    """For work done on someone's behalf outside a request (the demo loader, tests)."""
    token = _current.set(actor)
    try:
        yield actor
    finally:
        _current.reset(token)


def actor_of(user: object | None, address: str | None) -> Actor | None:
    """The actor for a logged-in `CurrentUser` (duck-typed: lib-free of accounts)."""
    if user is None:
        return None
    return Actor(
        user_id=user.id,  # type: ignore[attr-defined]
        role=user.role,  # type: ignore[attr-defined]
        label=user.name[:100],  # type: ignore[attr-defined]
        network=client_network(address),
    )


def audit_actor_middleware(app: ASGIApp) -> ASGIApp:
    """Runs after the session middleware, which put the user into the scope."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        client = scope.get("client")
        token = _current.set((scope.get("user"), client[0] if client else None))
        try:
            await app(scope, receive, send)
        finally:
            _current.reset(token)

    return middleware
