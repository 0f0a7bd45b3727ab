"""The report of students without a plan: active study rights of the organisation with no live
plan, as a table and as a CSV file, in the member's scope only, one statement a page, audited;
and the way there from the students page and on to the student's own page."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from ehoks.audit.models import AuditEvent
from ehoks.hoks.models import Hoks
from ehoks.registry.models import StudyRight
from tests.people.conftest import A_SCHOOL, A_SCHOOL_2, MATTI, PROVIDER_A, PROVIDER_B
from tests.staffpages.conftest import UI, page, text_of
from tests.staffpages.test_students import statements

REPORT = f"{UI}/raportit/ilman-suunnitelmaa"
AINO = "1.2.246.562.24.30124551065"  # Lahtinen: a study right at A's second school, no plan
AINO_STUDY_RIGHT = "1.2.246.562.15.20251000053"
MATTI_WITHOUT = [  # Matti's study rights at A's first school that have no plan
    "1.2.246.562.15.76811932045",
    "1.2.246.562.15.76811932052",
    "1.2.246.562.15.76811932060",
]
MAIJA_STUDY_RIGHT = "1.2.246.562.15.10000000009"
EETU_STUDY_RIGHT = "1.2.246.562.15.20251000061"  # ended (eronnut), no plan
JUHO_PROCURED = "1.2.246.562.15.20251000046"  # at B, part of A's study right: planned there
STUDY_RIGHT_CELL = re.compile(r"1\.2\.246\.562\.15\.\d{11}")


def _listed(response) -> list[str]:
    assert response.status_code == 200, response.text
    return STUDY_RIGHT_CELL.findall(response.text)


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200, response.text
    assert response.content.startswith(b"\xef\xbb\xbf")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def test_active_study_rights_without_a_live_plan_longest_waiting_first(hoks, staff):
    reader = staff((PROVIDER_A, "read"))
    response = page(reader, REPORT, params={"lang": "en"})
    # Matti's three (2017) before Aino's (2023); nothing with a plan, ended, or procured.
    assert _listed(response) == [*MATTI_WITHOUT, AINO_STUDY_RIGHT]
    words = text_of(response)
    assert "4 study rights without a plan" in words
    assert "Lahtinen, Aino Helena" in words
    assert "Preparatory education for work and independent living (TELMA)" in words
    assert f"/opiskelijat/{AINO}" in response.text
    assert "uusi-hoks" not in response.text  # a reader cannot create a plan
    finnish = text_of(page(reader, REPORT, params={"lang": "fi"}))
    assert "Työhön ja itsenäiseen elämään valmentava koulutus (TELMA)" in finnish

    # A writer gets "Create a plan" on each row.
    writer = page(staff((PROVIDER_A, "write")), REPORT, params={"lang": "en"})
    # Each with its study right chosen already in the form.
    assert (
        f'href="{UI}/opiskelijat/{AINO}/uusi-hoks?opiskeluoikeus={AINO_STUDY_RIGHT}"' in writer.text
    )
    for study_right in MATTI_WITHOUT:
        assert (
            f'href="{UI}/opiskelijat/{MATTI}/uusi-hoks?opiskeluoikeus={study_right}"' in writer.text
        )

    # A page past the end still counts them all.
    beyond = page(reader, REPORT, params={"lang": "en", "sivu": "3"})
    assert _listed(beyond) == []
    assert "4 study rights without a plan" in text_of(beyond)
    assert "This page is past the end of the report." in text_of(beyond)

    # The chosen school and what is below it: A's second school has Aino's only.
    school = staff((A_SCHOOL_2, "read"))
    assert _listed(page(school, REPORT)) == [AINO_STUDY_RIGHT]


def test_the_csv_file_has_every_row_with_the_days_since_the_start(hoks, staff):
    today = datetime.now(ZoneInfo("Europe/Helsinki")).date()
    rows = _csv(page(staff((PROVIDER_A, "read")), REPORT, params={"muoto": "csv", "lang": "fi"}))
    assert rows[0] == [
        "Opiskelija",
        "Opiskelijan OID",
        "Opiskeluoikeuden OID",
        "Opiskeluoikeuden alku",
        "Päiviä alusta",
        "Tutkinto",
        "Oppilaitoksen OID",
        "Poistetun suunnitelman tunniste",
    ]
    assert [row[2] for row in rows[1:]] == [*MATTI_WITHOUT, AINO_STUDY_RIGHT]
    aino = rows[-1]
    assert aino[:4] == ["Lahtinen, Aino Helena", AINO, AINO_STUDY_RIGHT, "2023-08-14"]
    assert int(aino[4]) == (today - date(2023, 8, 14)).days
    assert aino[5] == "Työhön ja itsenäiseen elämään valmentava koulutus (TELMA)"
    assert aino[6:] == [A_SCHOOL_2, ""]


def test_ended_rights_leave_and_a_deleted_plan_is_to_be_restored(hoks, staff, session_factory):
    today = datetime.now(ZoneInfo("Europe/Helsinki")).date()
    with session_factory() as session:
        # Ended by its end date, though Koski's state is still "present".
        session.execute(
            update(StudyRight)
            .where(StudyRight.oid == MATTI_WITHOUT[0])
            .values(paattymispaiva=today)
        )
        # Ended by its state.
        session.execute(
            update(StudyRight)
            .where(StudyRight.oid == MATTI_WITHOUT[1])
            .values(latest_tila="valmistunut")
        )
        # Ending later: still active; and one with no state yet.
        session.execute(
            update(StudyRight)
            .where(StudyRight.oid == MATTI_WITHOUT[2])
            .values(paattymispaiva=today + timedelta(days=1), latest_tila=None)
        )
        session.execute(
            update(Hoks).where(Hoks.id == hoks["maija"]).values(deleted_at=datetime.now(UTC))
        )
        session.commit()
    reader = page(staff((A_SCHOOL, "read")), REPORT, params={"lang": "en"})
    assert _listed(reader) == [MAIJA_STUDY_RIGHT, MATTI_WITHOUT[2]]
    assert f"Its plan {hoks['maija']} was deleted." in text_of(reader)
    assert f"{UI}/poistetut" not in reader.text  # restoring needs the delete role
    deleter = page(staff((A_SCHOOL, "delete")), REPORT, params={"lang": "en"})
    assert f'href="{UI}/poistetut"' in deleter.text
    assert "/uusi-hoks" not in deleter.text  # deleting is not writing
    # The deleted plan keeps its study right: no "Create a plan" for it, one for Matti's.
    admin = page(staff((A_SCHOOL, "admin")), REPORT, params={"lang": "en"})
    assert admin.text.count("/uusi-hoks") == 1
    assert EETU_STUDY_RIGHT not in admin.text


def test_a_member_of_provider_b_sees_none_of_provider_a(hoks, staff):
    member = staff((PROVIDER_B, "admin"))
    response = page(member, REPORT, params={"lang": "en"})
    assert _listed(response) == []
    assert "0 study rights without a plan" in text_of(response)
    rows = _csv(page(member, REPORT, params={"muoto": "csv"}))
    assert rows[1:] == []
    for body in (response.text, page(member, REPORT, params={"muoto": "csv"}).text):
        for oid in (AINO, MATTI, AINO_STUDY_RIGHT, JUHO_PROCURED, *MATTI_WITHOUT):
            assert oid not in body
        assert "Lahtinen" not in body
    # B's procured training inside A's study right is planned by A: not B's to plan.
    assert JUHO_PROCURED not in page(staff((PROVIDER_A, "read")), REPORT).text


def test_a_page_is_one_statement_and_the_read_is_audited(hoks, staff, live_server, session_factory):
    reader = staff((PROVIDER_A, "read"))
    page(reader, REPORT)  # warm caches (the organisation tree)
    with statements(live_server.app.state.engine) as seen:
        assert len(_listed(page(reader, REPORT))) == 4
    on_study_rights = [s for s in seen if re.search(r"FROM study_right\b", s)]
    assert len(on_study_rights) == 1, on_study_rights
    with session_factory() as session:
        audited = session.scalars(
            select(AuditEvent)
            .where(AuditEvent.operation == "report-without-plan")
            .order_by(AuditEvent.id.desc())
        ).first()
    assert audited is not None
    assert audited.outcome == "success"
    assert audited.role == "read"
    assert audited.details["listed"] == sorted([AINO, MATTI])


def test_the_students_page_leads_to_the_report_and_the_student_without_a_plan(hoks, staff):
    writer = staff((A_SCHOOL_2, "write"))
    students = page(writer, f"{UI}/opiskelijat", params={"lang": "en"})
    assert "This organisation has no students with a plan in eHOKS yet." in text_of(students)
    assert f'href="{REPORT}"' in students.text
    found = page(writer, f"{UI}/opiskelijat", params={"lang": "en", "nimi": "lahtinen"})
    assert f'href="{REPORT}"' in found.text
    # Aino's own page: no plans yet, and a writer starts her first.
    own = page(writer, f"{UI}/opiskelijat/{AINO}", params={"lang": "en"})
    assert own.status_code == 200
    assert "No current plans." in text_of(own)
    assert f'href="{UI}/opiskelijat/{AINO}/uusi-hoks"' in own.text
    form = page(writer, f"{UI}/opiskelijat/{AINO}/uusi-hoks", params={"lang": "en"})
    assert form.status_code == 200
    assert AINO_STUDY_RIGHT in form.text
    reader = page(staff((A_SCHOOL_2, "read")), f"{UI}/opiskelijat/{AINO}", params={"lang": "en"})
    assert reader.status_code == 200
    assert "uusi-hoks" not in reader.text
    assert page(staff((PROVIDER_B, "write")), f"{UI}/opiskelijat/{AINO}").status_code == 404
