"""The national share-link bodies (ehoks-api.md 3.10): reading a create request, and a link as
its student reads it back."""

from __future__ import annotations

from datetime import date
from typing import Any, Final

import orjson

from ehoks.kit.errors import ApiError, Violation, pointer
from ehoks.people import repository as people_repository
from ehoks.registry import repository as registry_repository
from ehoks.sharing import repository, service
from ehoks.sharing.content import (
    SHARED_MODULE_LISTS,
    UNIT_TYPES,
    Chosen,
    Content,
    find_unit,
    unit_part,
)
from ehoks.sharing.models import ShareLink
from ehoks.sharing.schemas import SharedPart

FIELD_PATHS: Final = {
    "unit": pointer("tutkinnonosa-module-uuid"),
    "label": pointer("kenelle"),
    "valid_from": pointer("voimassaolo-alku"),
    "valid_to": pointer("voimassaolo-loppu"),
}
MAX_ID: Final = 64


def _text(body: dict[str, Any], key: str, problems: list[Violation], *, required: bool) -> str:
    value = body.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value or len(value) > MAX_ID:
        code = "required" if value is None else "wrong_type"
        problems.append(Violation(code, pointer(key)))
        return ""
    return value


def _day(body: dict[str, Any], key: str, problems: list[Violation]) -> date | None:
    value = body.get(key)
    if value is None:
        return None
    try:
        return date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None  # noqa: PLR2004
    except ValueError:
        pass
    problems.append(Violation("share_invalid_date", pointer(key)))
    return None


def parse_create(body: Any) -> tuple[str, service.NewShare]:
    """(hoks-eid, the link asked for) from a national create body; 400 with every problem."""
    if not isinstance(body, dict):
        raise ApiError(400, "body_not_object")
    problems: list[Violation] = []
    eid = _text(body, "hoks-eid", problems, required=True)
    unit_id = _text(body, "tutkinnonosa-module-uuid", problems, required=True)
    unit_type = _text(body, "tutkinnonosa-tyyppi", problems, required=True)
    if unit_type and unit_type not in UNIT_TYPES:
        allowed = ", ".join(sorted(UNIT_TYPES))
        problems.append(
            Violation("share_invalid_type", pointer("tutkinnonosa-tyyppi"), {"allowed": allowed})
        )
    shared_id = _text(body, "shared-module-uuid", problems, required=False)
    shared_type = _text(body, "shared-module-tyyppi", problems, required=bool(shared_id))
    if shared_type and shared_type not in SHARED_MODULE_LISTS:
        allowed = ", ".join(sorted(SHARED_MODULE_LISTS))
        problems.append(
            Violation("share_invalid_type", pointer("shared-module-tyyppi"), {"allowed": allowed})
        )
    label = body.get("kenelle", "")
    if not isinstance(label, str):
        problems.append(Violation("share_label_required", pointer("kenelle")))
        label = ""
    start = _day(body, "voimassaolo-alku", problems)
    end = _day(body, "voimassaolo-loppu", problems)
    contacts = body.get("yhteystiedot", False) is True
    if problems:
        raise ApiError(
            400, "validation_failed", params={"count": len(problems)}, violations=problems
        )
    chosen = Chosen(Content.UNIT, unit_id, shared_id or None, shared_type or None, contacts)
    return eid, service.NewShare(chosen, label, start, end, label_required=False)


def create(unit: service.StudentUnit, body: Any) -> service.Created:
    """A link made through the national API: the HOKS by its `eid`, which must be the
    student's own (404 for any other, as for a missing one)."""
    eid, new = parse_create(body)
    hoks_id = repository.hoks_id_by_eid(unit.session, eid)
    if hoks_id is None:
        raise ApiError(404, "hoks_not_found")
    paths = {**FIELD_PATHS, "shared": pointer("shared-module-uuid")}
    return service.create(unit, hoks_id, new, paths)


def read(unit: service.StudentUnit, share_id: str) -> SharedPart:
    """One of the student's own links as the national body; 423 before its first day, 410
    after its last or once withdrawn."""
    link, plan = service.own_link(unit, share_id)
    state = service.state_of(link, unit.today)
    if state is service.State.REVOKED:
        raise ApiError(410, service.revoked_code(link))
    if state is service.State.EXPIRED:
        raise ApiError(410, "share_link_expired")
    if state is service.State.NOT_YET:
        raise ApiError(423, "share_link_not_yet_open", params={"day": link.valid_from.isoformat()})
    document = orjson.loads(plan.document)
    right = registry_repository.get_study_right(
        unit.session, document.get("opiskeluoikeus-oid", "")
    )
    person = registry_repository.get_person(unit.session, plan.oppija_oid)
    unit_record, demonstration, period = _parts(link, document)
    return SharedPart(
        oppija_nimi=people_repository.display_name(person) if person is not None else "",
        oppija_oid=plan.oppija_oid,
        tutkinto_nimi=dict(right.tutkinto_nimi)
        if right is not None and right.tutkinto_nimi
        else None,
        osaamisala_nimi=dict(right.osaamisala_nimi)
        if right is not None and right.osaamisala_nimi
        else None,
        voimassaolo_alku=link.valid_from,
        voimassaolo_loppu=link.valid_to,
        tutkinnonosa_tyyppi=link.unit_type,
        tutkinnonosa=unit_record,
        osaamisen_osoittaminen=demonstration,
        osaamisen_hankkimistapa=period,
        sisalto=link.content,
        kenelle=link.label,
        tila=state.value,
        avattu_kertaa=link.open_count,
        viimeksi_avattu=link.last_opened_at,
    )


def _parts(
    link: ShareLink, document: dict[str, Any]
) -> tuple[dict[str, Any] | None, dict[str, Any] | None, dict[str, Any] | None]:
    """The unit as the link shows it, and the one period or demonstration it names."""
    if link.content != Content.UNIT.value:
        return None, None, None
    found = find_unit(document, link.unit_module_id or "")
    part = unit_part(found, link.shared_module_id, link.shared_module_type) if found else None
    if part is None:
        raise ApiError(410, "share_link_gone")
    if link.shared_module_type is None:
        return part, None, None
    kept = part[SHARED_MODULE_LISTS[link.shared_module_type]][0]
    if link.shared_module_type == "osaamisenosoittaminen":
        return part, kept, None
    return part, None, kept


def of_module(unit: service.StudentUnit, module_id: str) -> list[dict[str, Any]]:
    """The student's own live links that show `module_id`: [{voimassaolo-*, share-id}]."""
    from ehoks.people import student_service  # noqa: PLC0415

    oids = student_service.own_oids(unit.session, unit.access, unit.subject.oppija_oid, unit.audit)
    links = repository.live_of_module(unit.session, module_id, oids)
    return [
        {
            "voimassaolo-alku": link.valid_from,
            "voimassaolo-loppu": link.valid_to,
            "share-id": link.id,
        }
        for link in links
    ]
