"""Deny by default: every route of the application declares who may call it."""

from __future__ import annotations

from ehoks.app import create_app
from ehoks.client.auth import WRITE_ATTRIBUTE
from ehoks.config import Settings
from tests.support.routes import all_routes


def test_every_route_declares_exactly_one_policy(tmp_path):
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'routes.db'}"))
    routes = all_routes(app)
    assert len(routes) >= 10  # the enumeration itself must see the application's routes
    unguarded = [f"{sorted(r.methods)} {r.path}" for r in routes if len(r.policies) != 1]
    assert unguarded == []


# Every provider-API route and the client access its policy requires: reads and validation need
# read access; anything that creates or changes a HOKS needs write access.
PREFIX = "/ehoks-virkailija-backend/api/v1"
PROVIDER_ACCESS = {
    ("POST", "/hoks"): True,
    ("POST", "/hoks/bulk"): True,
    ("PUT", "/hoks/{hoks_id}"): True,
    ("PATCH", "/hoks/{hoks_id}"): True,
    ("GET", "/hoks/paged"): False,
    ("GET", "/hoks/muutokset"): False,
    ("PUT", "/hoks/bulk"): True,
    ("GET", "/hoks/huomautukset"): False,
    ("GET", "/hoks/opiskeluoikeus/{opiskeluoikeus_oid}"): False,
    ("GET", "/hoks/{hoks_id}"): False,
    ("GET", "/hoks/{hoks_id}/hankintakoulutukset"): False,
    ("GET", "/hoks/osaamisen-hankkimistapa/{module_id}"): False,
    # A survey link made by the provider's own system, recorded for a HOKS and then updated.
    ("POST", "/hoks/{hoks_id}/kyselylinkki"): True,
    ("PATCH", "/hoks/kyselylinkki"): True,
    ("POST", "/validointi"): False,
    # The retired part routes answer 410 to any provider system.
    ("GET", "/hoks/{hoks_id}/{part}"): False,
    ("POST", "/hoks/{hoks_id}/{part}"): False,
    ("GET", "/hoks/{hoks_id}/{part}/{part_id}"): False,
    ("PATCH", "/hoks/{hoks_id}/{part}/{part_id}"): False,
}
DESCRIPTIONS = {True: "provider system, write access", False: "provider system, read access"}


def test_provider_api_routes_require_read_or_write_access(tmp_path):
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'routes.db'}"))
    found = {
        (method, route.path.removeprefix(PREFIX)): route
        for route in all_routes(app)
        if route.path.startswith((PREFIX + "/hoks", PREFIX + "/validointi"))
        for method in route.methods
    }
    assert set(found) == set(PROVIDER_ACCESS)
    for key, route in found.items():
        (policy,) = route.policy_calls
        assert getattr(policy, WRITE_ATTRIBUTE) is PROVIDER_ACCESS[key], key
        assert route.policies == (DESCRIPTIONS[PROVIDER_ACCESS[key]],), key
