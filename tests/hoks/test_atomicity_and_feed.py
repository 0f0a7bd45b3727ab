"""A failed write leaves nothing half-written; the statistics feed is redacted."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from ehoks.hoks.models import Hoks, HoksRevision
from tests.support.api import fresh_example, load_registry, make_caller, owner_of


def test_a_write_that_fails_midway_changes_nothing(http, session_factory):
    load_registry(session_factory)
    document = fresh_example("hoks-full.json")
    school, _ = owner_of(session_factory, document["opiskeluoikeus-oid"])
    caller = make_caller(http, session_factory, school)
    hoks_id = caller.post("/hoks", document).json()["meta"]["id"]
    before = caller.get(f"/hoks/{hoks_id}")

    # A history row that already claims revision 1 makes the second statement of the write
    # (keeping the previous revision) fail after the first (updating the document) succeeded.
    now = datetime.now(UTC)
    with session_factory() as session:
        session.add(
            HoksRevision(
                hoks_id=hoks_id,
                revision=1,
                document="{}",
                deleted_at=None,
                valid_from=now,
                valid_to=now,
                changed_by="test",
                superseded_by_operation="test",
            )
        )
        session.commit()
    changed = before.json()["data"] | {"sahkoposti": "ei.tallennu@example.fi"}
    failed = caller.put(f"/hoks/{hoks_id}", changed)
    assert failed.status_code == 500
    assert failed.json()["code"] == "internal_error"
    after = caller.get(f"/hoks/{hoks_id}")
    assert after.json() == before.json()
    assert after.headers["ETag"] == before.headers["ETag"]
    with session_factory() as session:
        assert session.scalars(select(Hoks.revision).where(Hoks.id == hoks_id)).one() == 1


def test_feed_hides_contact_data_and_names(http, session_factory):
    load_registry(session_factory)
    document = fresh_example("hoks-full.json")
    document["puhelinnumero"] = "040 111 2222"
    school, _ = owner_of(session_factory, document["opiskeluoikeus-oid"])
    caller = make_caller(http, session_factory, school)
    hoks_id = caller.post("/hoks", document).json()["meta"]["id"]
    page = caller.get("/hoks/paged", params={"amount": 10}).json()["data"]
    assert page["last-id"] == hoks_id
    assert page["failed-ids"] == []
    (item,) = page["result"]
    text = str(item)
    assert "sahkoposti" not in item
    assert "puhelinnumero" not in item
    assert "Olli Ohjaaja" not in text  # the workplace instructor
    assert "Erkki Edustaja" not in text  # the provider's representative
    assert "Arttu Arvioija" not in text  # an assessor
    assert "<REDACTED>" in text
    period = item["hankittavat-paikalliset-tutkinnon-osat"][0]["osaamisen-hankkimistavat"][0]
    assert period["tyopaikalla-jarjestettava-koulutus"]["vastuullinen-tyopaikka-ohjaaja"] is True
    assert "jarjestajan-edustaja" not in period
    empty = caller.get("/hoks/paged", params={"from-id": hoks_id}).json()["data"]
    assert empty == {"last-id": hoks_id, "failed-ids": [], "result": []}


def test_a_time_past_the_representable_ones_is_a_400_not_a_500(http, session_factory):
    load_registry(session_factory)
    caller = make_caller(http, session_factory, "1.2.246.562.10.54453921329")
    for edge in ("9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+23:59", "0001-01-01T00:00:00"):
        response = caller.get("/hoks/paged", params={"updated-after": edge})
        assert response.status_code == 400, (edge, response.text)
        assert response.json()["violations"][0]["path"] == "/query/updated-after"
    fine = caller.get("/hoks/paged", params={"updated-after": "2024-01-01T00:00:00+02:00"})
    assert fine.status_code == 200
