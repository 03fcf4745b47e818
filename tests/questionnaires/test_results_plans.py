"""PostgreSQL plans every results statement with its parameters' values.

asyncpg prepares each statement; from a prepared statement's 6th execution PostgreSQL may
switch to a generic plan, which for the answers queries over a large table did one index
lookup per opportunity (7× slower). The engine sets `plan_cache_mode = force_custom_plan`
on every connection (boerse/piccolo_conf.py)."""

from __future__ import annotations

from piccolo.engine.sqlite import SQLiteEngine

from boerse.lib.db import is_sqlite
from boerse.piccolo_conf import DB
from boerse.questionnaires.results import version_counts
from boerse.questionnaires.tables import Response
from tests.dashboards.answers import new_questionnaire
from tests.support.factories import make_organisation


async def test_every_connection_plans_each_execution_with_its_values() -> None:
    plan = await new_questionnaire((await make_organisation()).id)
    for _ in range(8):  # past the 5 executions after which a generic plan may be chosen
        assert [v.number for v in await version_counts(plan.questionnaire_id)] == [1]
    if is_sqlite():  # SQLite plans every statement anew: there is no plan cache to set
        assert isinstance(DB, SQLiteEngine)
        return
    rows = await Response.raw("SHOW plan_cache_mode")
    assert rows == [{"plan_cache_mode": "force_custom_plan"}]
