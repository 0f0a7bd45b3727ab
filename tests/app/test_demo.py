"""The demo data loads, twice without change, and what it prints works against the service."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from ehoks.demo.loader import load
from ehoks.hoks.models import Hoks
from ehoks.instructor.models import WorkplacePeriod
from tests.support.api import API

TODAY = date(2026, 11, 29)


def test_demo_loads_once_and_its_credentials_work(session_factory, http):
    with session_factory() as session:
        clients, hoks_ids = load(session, today=TODAY)
        session.commit()
    with session_factory() as session:
        again_clients, again_ids = load(session, today=TODAY)
        session.commit()
        assert session.scalar(select(func.count()).select_from(Hoks)) == 6
        current = session.scalars(
            select(WorkplacePeriod).where(WorkplacePeriod.instructor_email == "testimail@testi.com")
        ).all()
        assert any(p.alku <= TODAY <= p.loppu for p in current)
    assert len(hoks_ids) == 6
    assert again_ids == hoks_ids
    assert [c.client_id for c in again_clients] == [c.client_id for c in clients]

    demo = clients[0]
    token = http.post(
        "/oauth2/token",
        data={"grant_type": "client_credentials"},
        auth=(demo.client_id, demo.secret),
    ).json()["access_token"]
    response = http.get(
        f"{API}/hoks/{hoks_ids[0]}", headers={"Authorization": f"Bearer {token}", "Caller-Id": "t"}
    )
    assert response.status_code == 200
