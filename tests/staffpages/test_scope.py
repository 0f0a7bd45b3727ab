"""Two promises checked across every staff page at once: a member of provider B finds nothing
of provider A anywhere (pages, reports, their CSV files), and a read-only member sees no control
that creates, changes or deletes anything."""

from __future__ import annotations

import re

from tests.people.conftest import A_SCHOOL, JUHO, MAIJA, MATTI, PROVIDER_B, VILLE
from tests.staffpages.conftest import UI, page

A_STUDENTS = {
    MATTI: "Meikäläinen",
    MAIJA: "Virtanen",
    JUHO: "Mäkinen",
}
LIST_PAGES = (
    UI,
    f"{UI}/opiskelijat",
    f"{UI}/opiskelijat?nimi=m",
    f"{UI}/raportit",
    f"{UI}/raportit/opiskeluoikeudet",
    f"{UI}/raportit/opiskeluoikeudet?muoto=csv",
    f"{UI}/raportit/tyopaikkajaksot?alku=2015-01-01&loppu=2017-12-31",
    f"{UI}/raportit/tyopaikkajaksot?alku=2018-01-01&loppu=2020-12-31&muoto=csv",
    f"{UI}/raportit/tyopaikkajaksot?alku=2021-01-01&loppu=2023-12-31",
    f"{UI}/raportit/tietojen-laatu?paivia=365",
    f"{UI}/raportit/tietojen-laatu?paivia=365&muoto=csv",
    f"{UI}/raportit/suunnitelmien-laatu",
    f"{UI}/raportit/suunnitelmien-laatu?muoto=csv",
    f"{UI}/raportit/ilman-suunnitelmaa",
    f"{UI}/raportit/ilman-suunnitelmaa?muoto=csv",
    f"{UI}/poistetut",
    f"{UI}/yllapito",
)


def test_a_member_of_provider_b_finds_nothing_of_provider_a(hoks, staff):
    member = staff((PROVIDER_B, "admin"))
    for path in LIST_PAGES:
        response = page(member, path)
        assert response.status_code == 200, (path, response.status_code)
        body = response.content.decode("utf-8-sig")
        for oid, surname in A_STUDENTS.items():
            assert oid not in body, path
            assert surname not in body, path
    assert VILLE in page(member, f"{UI}/opiskelijat").text  # B's own student is there
    # The same pages do show A's students to A's own member: the checks above can fail.
    own = staff((A_SCHOOL, "read"))
    for path in (f"{UI}/opiskelijat", LIST_PAGES[7]):
        assert "Virtanen" in page(own, path).content.decode("utf-8-sig"), path
    for oid in (MATTI, MAIJA):
        assert page(member, f"{UI}/opiskelijat/{oid}").status_code == 404
    for hoks_id, oid in ((hoks["maija"], MAIJA), (hoks["matti"], MATTI)):
        plan = f"{UI}/opiskelijat/{oid}/hoks/{hoks_id}"
        for tail in ("", "/poista", "/historia", "/tapahtumat"):
            assert page(member, plan + tail).status_code == 404, plan + tail


CHANGING = re.compile(r"/(muokkaa|uusi-hoks|poista|palauta|poistetut|yllapito)\b")


def test_a_read_only_member_sees_no_control_that_changes_anything(hoks, staff):
    reader = staff((A_SCHOOL, "read"))
    pages = [
        UI,
        f"{UI}/opiskelijat",
        f"{UI}/opiskelijat/{MAIJA}",
        f"{UI}/opiskelijat/{MAIJA}/hoks/{hoks['maija']}",
        f"{UI}/raportit",
        f"{UI}/raportit/ilman-suunnitelmaa",
    ]
    for path in pages:
        response = page(reader, path)
        assert response.status_code == 200, path
        assert CHANGING.findall(response.text) == [], path
    plan = f"{UI}/opiskelijat/{MAIJA}/hoks/{hoks['maija']}"
    assert page(reader, plan + "/poista").status_code == 403
    assert page(reader, f"{UI}/poistetut").status_code == 403
    assert page(reader, f"{UI}/yllapito").status_code == 403
