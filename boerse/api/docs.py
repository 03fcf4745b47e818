"""The API's description as a page for people: the operations of Litestar's own OpenAPI
document, read from the running app (no second, hand-written list to keep in step)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar.openapi.spec import OpenAPI, Operation, Parameter, Reference

METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class ParameterDoc:
    name: str
    location: str
    """query, path or header"""
    required: bool
    description: str


@dataclass(frozen=True)
class OperationDoc:
    method: str
    path: str
    summary: str
    description: str
    parameters: list[ParameterDoc]


def _parameter(parameter: Any) -> ParameterDoc | None:
    if not isinstance(parameter, Parameter):
        return None
    return ParameterDoc(
        parameter.name,
        getattr(parameter.param_in, "value", str(parameter.param_in)),
        bool(parameter.required),
        parameter.description or "",
    )


def _operation(method: str, path: str, operation: Operation) -> OperationDoc:
    parameters = [p for p in map(_parameter, operation.parameters or []) if p is not None]
    return OperationDoc(
        method=method.upper(),
        path=path,
        summary=operation.summary or "",
        description=operation.description or "",
        parameters=parameters,
    )


def operations(schema: OpenAPI) -> list[OperationDoc]:
    """Every operation in the document, by path and then method."""
    found = []
    for path, item in sorted((schema.paths or {}).items()):
        if isinstance(item, Reference):
            continue
        for method in METHODS:
            operation = getattr(item, method, None)
            if operation is not None:
                found.append(_operation(method, path, operation))
    return found
