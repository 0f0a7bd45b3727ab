"""The addresses of the staff pages, in one place so that pages can link to each other."""

from __future__ import annotations

from typing import Final

START: Final = "/ehoks-virkailija-ui"
CHOOSE: Final = f"{START}/organisaatio"
STUDENTS: Final = f"{START}/opiskelijat"
REPORTS: Final = f"{START}/raportit"
DELETED: Final = f"{START}/poistetut"
ADMIN: Final = f"{START}/yllapito"


def safe_return(path: str) -> str:
    """A return address inside the staff pages, or "" (never another site, never `//host`)."""
    if path.startswith(f"{START}/") or path == START:
        return path if not path.startswith("//") and "\\" not in path else ""
    return ""


def student(oppija_oid: str) -> str:
    return f"{STUDENTS}/{oppija_oid}"


def plan(oppija_oid: str, hoks_id: int) -> str:
    return f"{STUDENTS}/{oppija_oid}/hoks/{hoks_id}"


def edit(oppija_oid: str, hoks_id: int) -> str:
    """The create-and-edit form's page of a plan (`ehoks.planform`)."""
    return f"{plan(oppija_oid, hoks_id)}/muokkaa"
