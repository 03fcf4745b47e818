"""Schemathesis against the OpenAPI document the running app serves: for every operation,
generated requests (valid and invalid) get no 5xx, only documented status codes and
content types, and bodies that match the documented schema.

The app runs as the session's live server on 127.0.0.1 (a real uvicorn process on the test
database and Redis, so both backends are covered); a few published offers with dates are
seeded first so that list and detail answers have content to check."""

from __future__ import annotations

import os

import pytest
import redis
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.schemas import APIOperation
from schemathesis.specs.openapi.checks import positive_data_acceptance

from boerse.accounts.ratelimit import limit_key
from boerse.api.router import API_PATH
from tests.support.factories import make_opportunity, make_organisation, make_session

MAX_EXAMPLES = 15
"""Per operation; enough to exercise each parameter's bounds in well under a minute."""


@pytest.fixture
async def seeded() -> None:
    organisation = await make_organisation("Grünflächenamt")
    for postcode in ("04109", "04177"):
        offer = await make_opportunity(organisation, postcode=postcode, min_age=16)
        await make_session(offer)


def _fresh_allowance() -> None:
    """The rate limit has its own test; here every generated request must reach its handler."""
    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    try:
        client.delete(limit_key("api", "source", "127.0.0.1"))
    finally:
        client.close()


def _check(operation: APIOperation, mode: GenerationMode) -> int:
    """Hypothesis drives one operation: each generated request is sent and validated by
    every check but `positive_data_acceptance`: whether a slug, postcode or cursor is known
    depends on the data (the town's lists, the gazetteer), which a schema cannot state, so
    a well-formed but unknown value is rightly a documented 400."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: schemathesis.Case) -> None:
        _fresh_allowance()
        case.call_and_validate(excluded_checks=[positive_data_acceptance])
        sent.append(case.path)

    sent: list[str] = []
    try:
        run()
    except Unsatisfiable:
        # Only negative generation can run dry (a parameter whose every wrong form is still
        # accepted by the schema); the positive run of the same operation is asserted below.
        if mode is not GenerationMode.NEGATIVE:
            raise
    return len(sent)


# Schemathesis's pytest plugin (`from_fixture`) does not run on pytest 9 (it sets a node
# attribute pytest removed), so the operations are driven here, one after the other.
@pytest.mark.slow
def test_the_api_keeps_its_description(live_server: str, seeded: None) -> None:
    schema = schemathesis.openapi.from_url(f"{live_server}{API_PATH}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.path for op in operations} >= {"/api/v1/opportunities", "/api/v1/results"}
    for operation in operations:
        requests = _check(operation, GenerationMode.POSITIVE)
        if len(operation.query) or len(operation.path_parameters):  # something to get wrong
            requests += _check(operation, GenerationMode.NEGATIVE)
        assert requests > 0, operation.path
