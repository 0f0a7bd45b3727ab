"""What a caller may not know stays unknown: "exists elsewhere" and "does not exist" get the same
answer, byte for byte but for the request id and the OIDs they were asked about, and cost the
same database work (the same statements, in the same order), so no timing tells them apart."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from sqlalchemy import event

from tests.people.conftest import A_SCHOOL, VILLE, VILLE_STUDY_RIGHT
from tests.support.api import load_registry, make_caller

_PLACEHOLDER = re.compile(r"%\(\w+\)s(::\w+)?")
_IN_LIST = re.compile(r"IN \([?, ]*\)")
PROVIDER_A = "1.2.246.562.10.53642770753"
MAIJAS_STUDY_RIGHT = "1.2.246.562.15.10000000009"  # at provider A
NOBODY = "1.2.246.562.24.99999999990"  # a well-formed student OID nobody has
NO_STUDY_RIGHT = "1.2.246.562.15.99999999990"  # a well-formed study right OID that is no one's


@contextmanager
def statements(live_server) -> Iterator[list[str]]:
    """The SQL statements the service runs meanwhile (their text: values left out)."""
    seen: list[str] = []
    engine = live_server.app.state.engine

    def remember(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        # A list of values is as long as the person's OIDs (Ville has a merged one): the same
        # statement all the same.
        seen.append(_IN_LIST.sub("IN (...)", _PLACEHOLDER.sub("?", statement)))

    event.listen(engine, "before_cursor_execute", remember)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", remember)


def answer(response: httpx.Response, *asked: str) -> tuple[int, str]:
    """Status and body without what differs by design: the request id, the OIDs asked about."""
    body = response.json()
    body.pop("request-id", None)
    text = str(sorted(body.items()))
    for oid in asked:
        text = text.replace(oid, "<asked>")
    return response.status_code, text


def assert_same(
    live_server, call: Callable[[str], httpx.Response], elsewhere: str, nowhere: str
) -> None:
    call(elsewhere)  # warm the caches the first call of each path would fill
    call(nowhere)
    with statements(live_server) as first:
        exists = call(elsewhere)
    with statements(live_server) as second:
        missing = call(nowhere)
    assert exists.status_code >= 400, exists.text
    assert answer(exists, elsewhere) == answer(missing, nowhere)
    assert first == second, "\n".join(difflib.unified_diff(first, second, lineterm=""))


def minimal(study_right: str, oppija: str) -> dict[str, Any]:
    return {
        "oppija-oid": oppija,
        "opiskeluoikeus-oid": study_right,
        "ensikertainen-hyvaksyminen": "2024-08-20",
        "osaamisen-hankkimisen-tarve": True,
    }


def test_validation_with_a_read_token_cannot_tell_elsewhere_from_nowhere(
    http, session_factory, live_server
):
    load_registry(session_factory)
    reader = make_caller(http, session_factory, PROVIDER_A, access="read")
    # A person who studies at another provider, or nobody, named on A's own study right.
    assert_same(
        live_server,
        lambda oid: reader.post("/validointi", minimal(MAIJAS_STUDY_RIGHT, oid)),
        VILLE,
        NOBODY,
    )
    # Another provider's study right, or one that does not exist.
    assert_same(
        live_server,
        lambda oid: reader.post("/validointi", minimal(oid, VILLE)),
        VILLE_STUDY_RIGHT,
        NO_STUDY_RIGHT,
    )


def test_staff_student_routes_cannot_tell_elsewhere_from_nowhere(hoks, staff, live_server):
    reader = staff((A_SCHOOL, "read"))
    for tail in ("", "/opiskeluoikeudet", "/hoksit", f"/hoksit/{hoks['ville']}"):
        assert_same(
            live_server, lambda oid, tail=tail: reader.get(f"/oppijat/{oid}{tail}"), VILLE, NOBODY
        )
