"""Error answers stay small however broken the body: the first violations are listed, the rest
only counted, and a batch shares one such budget among its documents."""

from __future__ import annotations

import pytest

from ehoks.kit.errors import MAX_VIOLATIONS
from tests.support.api import load_registry, make_caller

A_SCHOOL = "1.2.246.562.10.54453921329"
ONE_MB = 1_000_000
PARTS = "hankittavat-ammat-tutkinnon-osat"


@pytest.fixture
def reader(http, session_factory):
    """A read-only provider system: enough to call /validointi."""
    load_registry(session_factory)
    return make_caller(http, session_factory, A_SCHOOL, access="read")


def nulls_body(size: int) -> bytes:
    """A HOKS whose part list is `size` bytes of nulls: each one a violation."""
    head = b'{"' + PARTS.encode() + b'": ['
    count = (size - len(head) - 2) // 5
    return head + b",".join([b"null"] * count) + b"]}"


def test_two_megabytes_of_nulls_get_a_small_answer(reader):
    body = nulls_body(1_990_000)
    response = reader.http.post(
        "/ehoks-virkailija-backend/api/v1/validointi",
        content=body,
        headers={**reader.headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert len(response.content) < ONE_MB
    answer = response.json()
    assert answer["code"] == "validation_failed"
    assert len(answer["violations"]) == MAX_VIOLATIONS
    assert answer["truncated"] is True
    # Every null, and the required fields missing besides.
    assert answer["violation-count"] > body.count(b"null")
    assert answer["violations"][0] == {
        "code": "null_not_allowed",
        "path": f"/{PARTS}/0",
        "message": answer["violations"][0]["message"],
    }
    # The tree holds exactly the listed violations.
    assert len(answer["errors"][PARTS]) == MAX_VIOLATIONS
    assert str(answer["violation-count"]) in answer["error"]


def test_a_few_violations_are_all_listed_and_not_truncated(reader):
    response = reader.post("/validointi", {"oppija-oid": 5, "tuntematon": 1})
    assert response.status_code == 400
    answer = response.json()
    assert answer["truncated"] is False
    assert answer["violation-count"] == len(answer["violations"])


def test_a_batch_of_documents_with_unknown_keys_gets_an_answer_in_proportion(http, session_factory):
    load_registry(session_factory)
    writer = make_caller(http, session_factory, A_SCHOOL)
    documents = 200
    document = {f"tuntematon-{n}": n for n in range(1000)}
    response = writer.post("/hoks/bulk", [document] * documents)
    assert response.status_code == 200, response.text[:500]
    assert len(response.content) < ONE_MB
    items = response.json()["data"]
    assert len(items) == documents
    listed = sum(len(item["error"].get("violations", [])) for item in items)
    assert listed == MAX_VIOLATIONS
    for item in items:
        error = item["error"]
        assert error["code"] == "validation_failed"
        assert error["truncated"] is True
        assert error["violation-count"] > len(document)
    # The first document uses the whole budget; the others say only how many they had.
    assert len(items[0]["error"]["violations"]) == MAX_VIOLATIONS
    assert "violations" not in items[1]["error"]
    assert "errors" not in items[1]["error"]
