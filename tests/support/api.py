"""Arranging what provider-API tests need: registry data, system clients, tokens, examples."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy.orm import Session, sessionmaker

from ehoks.client.service import create_client
from ehoks.registry.directory import forget_cached_tree
from ehoks.registry.models import StudyRight
from ehoks.registry.service import import_files

DATA = Path(__file__).resolve().parent.parent / "data"
EXAMPLES = DATA / "examples"
REGISTRY_FILES = sorted((DATA / "registry").glob("*.json"))
API = "/ehoks-virkailija-backend/api/v1"


@cache
def example(name: str) -> dict[str, Any]:
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def fresh_example(name: str) -> dict[str, Any]:
    return copy.deepcopy(example(name))


def example_names() -> list[str]:
    return sorted(p.name for p in EXAMPLES.glob("*.json"))


def load_registry(factory: sessionmaker[Session]) -> None:
    with factory() as session:
        import_files(session, REGISTRY_FILES)
        session.commit()
    forget_cached_tree()


def owner_of(factory: sessionmaker[Session], study_right_oid: str) -> tuple[str, str]:
    """(oppilaitos, koulutustoimija) of a study right in the imported registry."""
    with factory() as session:
        study_right = session.get(StudyRight, study_right_oid)
        assert study_right is not None, study_right_oid
        assert study_right.oppilaitos_oid
        assert study_right.koulutustoimija_oid
        return study_right.oppilaitos_oid, study_right.koulutustoimija_oid


@dataclass
class Caller:
    """A provider system with a token, speaking to the live server."""

    http: httpx.Client
    token: str
    client_id: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}", "Caller-Id": "test-sis"}

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.http.get(
            API + path, headers={**self.headers, **kwargs.pop("headers", {})}, **kwargs
        )

    def post(self, path: str, body: Any, **kwargs: Any) -> httpx.Response:
        return self.http.post(
            API + path, json=body, headers={**self.headers, **kwargs.pop("headers", {})}, **kwargs
        )

    def put(self, path: str, body: Any, **kwargs: Any) -> httpx.Response:
        return self.http.put(
            API + path, json=body, headers={**self.headers, **kwargs.pop("headers", {})}, **kwargs
        )

    def patch(self, path: str, body: Any, **kwargs: Any) -> httpx.Response:
        return self.http.patch(
            API + path, json=body, headers={**self.headers, **kwargs.pop("headers", {})}, **kwargs
        )


def make_caller(
    http: httpx.Client, factory: sessionmaker[Session], organisation_oid: str, access: str = "write"
) -> Caller:
    with factory() as session:
        client, secret = create_client(
            session,
            name=f"SIS {organisation_oid} {access}",
            organisation_oid=organisation_oid,
            access=access,
        )
        session.commit()
    response = http.post(
        "/oauth2/token",
        data={"grant_type": "client_credentials"},
        auth=(client.client_id, secret),
    )
    assert response.status_code == 200, response.text
    return Caller(http=http, token=response.json()["access_token"], client_id=client.client_id)


def violations(response: httpx.Response) -> list[tuple[str, str]]:
    """(code, path) of every violation in an error response."""
    return [(v["code"], v["path"]) for v in response.json().get("violations", [])]
