"""Clients of the five national registries, answering with the records the import makes.

Paths and formats are those of the national services (samples in
`tests/data/registry/national-samples/` and `tests/registry/remote/standins.py`):

* Koski: `GET /koski/api/oppija/{oppija}` (henkilö and study rights), `GET
  /koski/api/opiskeluoikeus/{oid}` (one study right, without its student);
* ONR: `GET /oppijanumerorekisteri-service/henkilo/{oid}`, `.../henkilo/{oid}/master` (the person
  a duplicate was merged into, or the person itself) and `.../henkilo/{oid}/slaves` (the
  duplicates merged into it);
* organisaatio: `GET /organisaatio-service/api/{oid}`, `POST /organisaatio-service/api/findbyoids`
  (a list of OIDs), `GET /organisaatio-service/api/{oid}/parentoids` (root first, itself last);
* koodisto: `GET /koodisto-service/rest/codeelement/latest/{koodiUri}` and `GET
  /koodisto-service/rest/json/{koodisto}/koodi` (a whole code list);
* ePerusteet: `GET /eperusteet-service/api/tutkinnonosat?koodiUri=...` (a page of units).

A 404 is an answer (None or []); anything unusable raises `RegistryUnavailableError`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Final

from ehoks.hoksmodel.formats import is_valid_organisation_oid
from ehoks.registry.codes import (
    is_koodisto_element,
    parse_eperusteet_page,
    parse_koodisto_element,
)
from ehoks.registry.koski import OppijaDocument, parse_oppija_document
from ehoks.registry.parsing import parse_organisation_document
from ehoks.registry.records import (
    CodeNameRecord,
    MergedPersonRecord,
    OrganisationRecord,
    PersonRecord,
    RegistryFileError,
    Source,
)
from ehoks.registry.remote.transport import RegistryAnswerError, RegistryTransport

# organisaatio's findbyoids takes lists of this many OIDs at most.
FIND_BY_OIDS_CHUNK: Final = 100
# ONR's henkilö fields, as Koski's henkilö names them (the import reads Koski's form).
_ONR_TO_KOSKI: Final = {
    "oidHenkilo": "oid",
    "hetu": "hetu",
    "etunimet": "etunimet",
    "kutsumanimi": "kutsumanimi",
    "sukunimi": "sukunimi",
    "syntymaaika": "syntymäaika",
    "turvakielto": "turvakielto",
}


class _Client:
    def __init__(self, transport: RegistryTransport) -> None:
        self.transport = transport

    @property
    def registry(self) -> str:
        return self.transport.registry

    def _source(self, path: str) -> Source:
        return Source(Path(f"{self.transport.endpoint.base_url.rstrip('/')}{path}"), 1)

    def _invalid(self, error: RegistryFileError | str) -> RegistryAnswerError:
        reason = error.reason if isinstance(error, RegistryFileError) else error
        return RegistryAnswerError(self.registry, reason, 1)

    def _object(self, answer: Any, what: str) -> dict[str, Any]:
        if not isinstance(answer, dict):
            raise self._invalid(f"{what}: expected a JSON object")
        return answer

    def _list(self, answer: Any, what: str) -> list[Any]:
        if not isinstance(answer, list):
            raise self._invalid(f"{what}: expected a JSON list")
        return answer


class KoskiClient(_Client):
    def oppija(self, oppija_oid: str) -> OppijaDocument | None:
        """The student and every study right Koski holds for them; None if Koski knows no one."""
        path = f"/koski/api/oppija/{oppija_oid}"
        answer = self.transport.get(path)
        if answer is None:
            return None
        document = self._object(answer, path)
        if not isinstance(document.get("henkilö"), dict):
            raise self._invalid(f"{path}: henkilö is missing")
        if not isinstance(document.get("opiskeluoikeudet"), list):
            raise self._invalid(f"{path}: opiskeluoikeudet is missing")
        try:
            return parse_oppija_document(self._source(path), document)
        except RegistryFileError as error:
            raise self._invalid(error) from None

    def study_right(self, oid: str, oppija_oid: str) -> OppijaDocument | None:
        """One study right, known to be `oppija_oid`'s (Koski's answer does not name them)."""
        path = f"/koski/api/opiskeluoikeus/{oid}"
        answer = self.transport.get(path)
        if answer is None:
            return None
        document = self._object(answer, path)
        if document.get("oid") != oid:
            raise self._invalid(f"{path}: oid is {document.get('oid')!r}, not {oid}")
        wrapped = {"henkilö": {"oid": oppija_oid}, "opiskeluoikeudet": [document]}
        try:
            return parse_oppija_document(self._source(path), wrapped)
        except RegistryFileError as error:
            raise self._invalid(error) from None


class OnrClient(_Client):
    def person(self, oid: str) -> PersonRecord | None:
        """The person with this OID as ONR holds them; None if ONR does not know the OID."""
        path = f"/oppijanumerorekisteri-service/henkilo/{oid}"
        answer = self.transport.get(path)
        return None if answer is None else self._person(path, answer)

    def master(self, oid: str) -> PersonRecord | None:
        """The person a duplicate OID was merged into (the person itself if not merged)."""
        path = f"/oppijanumerorekisteri-service/henkilo/{oid}/master"
        answer = self.transport.get(path)
        return None if answer is None else self._person(path, answer)

    def merged_into(self, master_oid: str) -> list[MergedPersonRecord]:
        """The duplicate OIDs ONR merged into `master_oid`."""
        path = f"/oppijanumerorekisteri-service/henkilo/{master_oid}/slaves"
        answer = self.transport.get(path)
        if answer is None:
            return []
        merged = []
        for index, entry in enumerate(self._list(answer, path)):
            record = self._person(f"{path}[{index}]", entry)
            if record.oid != master_oid:
                merged.append(MergedPersonRecord(record.oid, master_oid, record.source))
        return merged

    def _person(self, path: str, answer: Any) -> PersonRecord:
        henkilo = self._object(answer, path)
        if "oidHenkilo" not in henkilo:
            raise self._invalid(f"{path}: oidHenkilo is missing")
        koski_form = {koski: henkilo[onr] for onr, koski in _ONR_TO_KOSKI.items() if onr in henkilo}
        try:
            document = parse_oppija_document(
                self._source(path), {"henkilö": koski_form, "opiskeluoikeudet": []}
            )
        except RegistryFileError as error:
            raise self._invalid(error) from None
        return document.person


class OrganisaatioClient(_Client):
    def organisation(self, oid: str) -> OrganisationRecord | None:
        """One organisation with its place in the tree; None if unknown."""
        path = f"/organisaatio-service/api/{oid}"
        answer = self.transport.get(path)
        if answer is None:
            return None
        return self._record(path, answer, oid)

    def organisations(self, oids: list[str]) -> list[OrganisationRecord]:
        """The organisations among `oids` that organisaatio knows, in chunks of 100."""
        path = "/organisaatio-service/api/findbyoids"
        found: list[OrganisationRecord] = []
        for start in range(0, len(oids), FIND_BY_OIDS_CHUNK):
            chunk = oids[start : start + FIND_BY_OIDS_CHUNK]
            answer = self.transport.post(path, chunk)
            for index, entry in enumerate(self._list(answer or [], path)):
                found.append(self._record(f"{path}[{index}]", entry, None))
        return found

    def parent_path(self, oid: str) -> list[str] | None:
        """The organisation's ancestors, root first and parent last; None if unknown."""
        path = f"/organisaatio-service/api/{oid}/parentoids"
        answer = self.transport.get(path)
        if answer is None:
            return None
        oids = self._list(answer, path)
        if not all(isinstance(o, str) and is_valid_organisation_oid(o) for o in oids):
            raise self._invalid(f"{path}: expected a list of organisation OIDs")
        return [o for o in oids if o != oid]

    def _record(self, path: str, answer: Any, oid: str | None) -> OrganisationRecord:
        document = self._object(answer, path)
        if not isinstance(document.get("oid"), str) or (oid and document["oid"] != oid):
            raise self._invalid(f"{path}: oid is {document.get('oid')!r}")
        try:
            return parse_organisation_document(self._source(path), document)
        except RegistryFileError as error:
            raise self._invalid(error) from None


class KoodistoClient(_Client):
    def code(self, uri: str) -> CodeNameRecord | None:
        """The latest version of one code element; None if unknown."""
        path = f"/koodisto-service/rest/codeelement/latest/{uri}"
        answer = self.transport.get(path)
        return None if answer is None else self._element(path, answer)

    def code_list(self, koodisto: str) -> list[CodeNameRecord]:
        """Every code of one code list (e.g. `urasuunnitelma`)."""
        path = f"/koodisto-service/rest/json/{koodisto}/koodi"
        answer = self.transport.get(path)
        return [
            self._element(f"{path}[{index}]", element)
            for index, element in enumerate(self._list(answer or [], path))
        ]

    def _element(self, path: str, answer: Any) -> CodeNameRecord:
        document = self._object(answer, path)
        if not is_koodisto_element(document):
            raise self._invalid(f"{path}: expected a code element with koodiUri and metadata")
        try:
            return parse_koodisto_element(self._source(path), document)
        except RegistryFileError as error:
            raise self._invalid(error) from None


class EperusteetClient(_Client):
    def units(self, koodi_uri: str) -> list[CodeNameRecord]:
        """The names of the tutkinnon osat (and their osa-alueet) with this code."""
        path = "/eperusteet-service/api/tutkinnonosat"
        answer = self.transport.get(path, params={"koodiUri": koodi_uri})
        if answer is None:
            return []
        document = self._object(answer, path)
        if not isinstance(document.get("data"), list):
            raise self._invalid(f"{path}: data is missing")
        try:
            return parse_eperusteet_page(self._source(path), document)
        except RegistryFileError as error:
            raise self._invalid(error) from None
