"""The API description is what the service does: schemathesis, with its checks on, against the
provider, staff and student APIs of the running service, signed in as each kind of caller.

Bounded in time: a few generated requests per operation (`EXAMPLES`), the same ones on every run
(derandomised), so a failure reproduces. Each failure names its check and a curl line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.generation.case import Case

from tests.people.conftest import A_SCHOOL, MAIJA
from tests.support.api import make_caller

EXAMPLES = 4
# A generated HOKS document takes a second or two to build (the national model is large).
HOKS_EXAMPLES = 1
PROVIDER = "/ehoks-virkailija-backend/api/v1/"
STAFF = "/ehoks-virkailija-backend/api/v1/virkailija/"
STUDENT = "/ehoks-oppija-backend/api/v1/oppija/"
INSTRUCTOR_LINK = "/ehoks-oppija-backend/api/v1/tyopaikkaohjaaja/kirjautumislinkki"


def _caller_headers(http, session_factory, staff, student) -> Callable[[str], dict[str, str]]:
    client = make_caller(http, session_factory, A_SCHOOL).headers
    member = staff((A_SCHOOL, "write")).headers
    own = student(MAIJA).headers

    def headers_for(path: str) -> dict[str, str]:
        if path.startswith(STAFF):
            return member
        if path.startswith(STUDENT):
            return own
        if path.startswith(PROVIDER):
            return client
        return {}

    return headers_for


# Schema-valid input may still break a rule no JSON Schema can state (an OID's check digit, a
# study right that must exist and be the student's): the description answers those with 400,
# a removed part route with 410. Every other check keeps schemathesis's own expectations.
CONFIG = SchemathesisConfig.from_dict(
    {
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "3xx", "400", "401", "403", "404", "409", "410"]
            }
        }
    }
)


def _operations(base_url: str) -> list[Any]:
    schema = schemathesis.openapi.from_url(base_url + "/openapi.json", config=CONFIG)
    found = [result.ok() for result in schema.get_all_operations()]
    return [
        operation
        for operation in found
        if operation.path.startswith((PROVIDER, STUDENT)) or operation.path == INSTRUCTOR_LINK
    ]


def _sends_hoks(operation: Any) -> bool:
    return "/components/schemas/HOKSP" in str(operation.definition.raw.get("requestBody", ""))


@pytest.fixture
def headers_for(http, session_factory, hoks, staff, student) -> Callable[[str], dict[str, str]]:
    """The headers of the caller each API is for: a provider system, staff, the student."""
    del hoks  # the students' HOKS are there for the calls to find
    return _caller_headers(http, session_factory, staff, student)


def test_the_apis_answer_as_their_description_says(live_server, headers_for):
    operations = _operations(live_server.base_url)
    assert len(operations) >= 30  # the description holds the three APIs
    failures: list[str] = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=HOKS_EXAMPLES if _sends_hoks(operation) else EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def check(case: Case) -> None:
            sent = headers_for(case.path)
            response = case.call(base_url=live_server.base_url, headers=sent)
            case.validate_response(response, headers=sent)

        try:
            check()
        except Exception as error:  # noqa: BLE001 - every operation is checked, all are reported
            failures.append(f"{operation.label}: {error}")
    assert failures == [], "\n\n".join(failures)


def test_the_description_is_a_valid_document_of_what_is_answered(http):
    document = http.get("/openapi.json").json()
    for path, item in document["paths"].items():
        in_template = set(re.findall(r"\{(\w+)\}", path))
        for method, operation in item.items():
            declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert declared == in_template, (method, path)
            # Input errors are 400 with the Error body; FastAPI's 422 is never answered.
            assert "422" not in operation["responses"], (method, path)
            assert "400" in operation["responses"], (method, path)
    assert "HTTPValidationError" not in document["components"]["schemas"]
    login = document["paths"]["/auth/{audience}/login"]["get"]["responses"]
    assert "302" in login
    assert "307" not in login
    answered = http.get("/auth/staff/login", follow_redirects=False)
    assert answered.status_code == 302
