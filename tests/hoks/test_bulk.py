"""Many HOKS in one request: each document checked exactly as a single create."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select

from ehoks.audit.models import AuditEvent
from ehoks.audit.service import verify
from ehoks.feedback.models import Feedback
from ehoks.hoks.models import Hoks, HoksChangeEntry
from ehoks.instructor.models import WorkplacePeriod
from tests.hoks.test_examples import assert_preserved, periods_without_identifier, set_at
from tests.support.api import example_names, fresh_example, load_registry, make_caller

A_SCHOOL = "1.2.246.562.10.54453921329"
PROVIDER_B_STUDY_RIGHT = "1.2.246.562.15.20251000012"
VILLE = "1.2.246.562.24.30124551023"


def with_identifiers(document):
    for number, path in enumerate(periods_without_identifier(document)):
        set_at(document, path, "yksiloiva-tunniste", f"bulk-{number}")
    return document


def test_a_batch_creates_the_valid_and_reports_the_rest(http, session_factory):
    load_registry(session_factory)
    caller = make_caller(http, session_factory, A_SCHOOL)
    examples = [with_identifiers(fresh_example(name)) for name in example_names()]
    broken = fresh_example("hoks-full.json")
    broken["ensikertainen-hyvaksyminen"] = "eilen"
    foreign = {
        "oppija-oid": VILLE,
        "opiskeluoikeus-oid": PROVIDER_B_STUDY_RIGHT,
        "ensikertainen-hyvaksyminen": "2024-01-01",
        "osaamisen-hankkimisen-tarve": True,
    }
    batch = [*examples, broken, examples[0], foreign, "not a document"]

    response = caller.post("/hoks/bulk", batch)
    assert response.status_code == 200, response.text
    body = response.json()
    items = body["data"]
    assert body["meta"] == {"created": len(examples), "refused": 4}
    assert [item["index"] for item in items] == list(range(len(batch)))

    for item, document in zip(items[: len(examples)], examples, strict=True):
        stored = caller.get(f"/hoks/{item['id']}").json()["data"]
        assert item["uri"].endswith(f"/hoks/{item['id']}")
        assert_preserved(document, stored)

    broken_error = items[len(examples)]["error"]
    assert broken_error["code"] == "validation_failed"
    assert [v["path"] for v in broken_error["violations"]] == ["/ensikertainen-hyvaksyminen"]
    assert items[len(examples) + 1]["error"]["code"] == "duplicate_in_batch"
    assert items[len(examples) + 2]["error"]["code"] == "study_right_forbidden"
    assert items[len(examples) + 3]["error"]["code"] == "validation_failed"

    with session_factory() as session:
        outcomes = session.execute(
            select(AuditEvent.outcome, func.count())
            .where(AuditEvent.operation == "hoks.create")
            .group_by(AuditEvent.outcome)
        ).all()
        assert dict(outcomes) == {"success": len(examples), "failed": 3, "denied": 1}
        # One success record per HOKS created, naming that HOKS and its student.
        created = session.execute(
            select(AuditEvent.hoks_id, AuditEvent.oppija_oid).where(
                AuditEvent.operation == "hoks.create", AuditEvent.outcome == "success"
            )
        ).all()
        assert sorted(created) == sorted(
            (item["id"], document["oppija-oid"])
            for item, document in zip(items[: len(examples)], examples, strict=True)
        )
        assert session.scalar(select(func.count()).select_from(WorkplacePeriod)) > 0

    # The same batch again: every document's study right now has its HOKS.
    again = caller.post("/hoks/bulk", examples).json()["data"]
    assert {item["error"]["code"] for item in again} == {"hoks_exists"}


def test_a_batch_leaves_a_verifiable_audit_chain_and_its_changes_with_their_owners(
    http, session_factory
):
    """The records and change rows of a batch are written many at once: each as a single
    create writes it (chained in order, the plan's owners copied), in the batch's order."""
    load_registry(session_factory)
    caller = make_caller(http, session_factory, A_SCHOOL)
    examples = [with_identifiers(fresh_example(name)) for name in example_names()]
    response = caller.post("/hoks/bulk", examples)
    assert response.status_code == 200, response.text
    ids = [item["id"] for item in response.json()["data"]]
    assert len(ids) == len(examples) > 1

    with session_factory() as session:
        report = verify(session)
        assert report.ok, report.problems
        assert report.records == len(examples)
        owners = {
            row.id: (row.oppilaitos_oid, row.koulutustoimija_oid)
            for row in session.scalars(select(Hoks))
        }
        changes = session.scalars(select(HoksChangeEntry).order_by(HoksChangeEntry.seq)).all()
    assert [(c.hoks_id, c.revision, c.kind) for c in changes] == [(i, 1, "created") for i in ids]
    assert [(c.oppilaitos_oid, c.koulutustoimija_oid) for c in changes] == [owners[i] for i in ids]
    assert all(school is not None for school, _ in owners.values())
    assert len({(c.txid, c.at) for c in changes}) == 1


def test_new_plans_their_parts_and_surveys_get_time_ordered_ids(http, session_factory):
    """The ids a batch's rows are indexed by (the plan's eid, its parts' module ids, its
    surveys' request ids) are version 7 UUIDs: new rows go to their indexes' end."""
    load_registry(session_factory)
    caller = make_caller(http, session_factory, A_SCHOOL)
    examples = [with_identifiers(fresh_example(name)) for name in example_names()]
    assert caller.post("/hoks/bulk", examples).status_code == 200
    with session_factory() as session:
        eids = session.scalars(select(Hoks.eid)).all()
        modules = session.scalars(select(WorkplacePeriod.module_id)).all()
        requests = session.scalars(select(Feedback.request_id)).all()
    assert eids
    assert modules
    assert requests
    assert {uuid.UUID(value).version for value in [*eids, *modules, *requests]} == {7}


def test_batch_shape_errors(http, session_factory):
    load_registry(session_factory)
    caller = make_caller(http, session_factory, A_SCHOOL)
    not_list = caller.post("/hoks/bulk", {"oppija-oid": VILLE})
    assert not_list.status_code == 400
    assert not_list.json()["code"] == "batch_not_list"
    too_many = caller.post("/hoks/bulk", [{}] * 1001)
    assert too_many.status_code == 413
    assert too_many.json()["code"] == "batch_too_large"
    empty = caller.post("/hoks/bulk", [])
    assert empty.json() == {"meta": {"created": 0, "refused": 0}, "data": []}
    reader = make_caller(http, session_factory, A_SCHOOL, access="read")
    assert reader.post("/hoks/bulk", []).status_code == 403
