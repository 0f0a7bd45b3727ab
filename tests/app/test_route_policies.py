"""Deny by default: every route of the application declares who may call it."""

from __future__ import annotations

from ehoks.app import create_app
from ehoks.config import Settings
from tests.support.routes import all_routes


def test_every_route_declares_exactly_one_policy(tmp_path):
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'routes.db'}"))
    routes = all_routes(app)
    assert len(routes) >= 10  # the enumeration itself must see the application's routes
    unguarded = [f"{sorted(r.methods)} {r.path}" for r in routes if len(r.policies) != 1]
    assert unguarded == []


def test_provider_api_routes_require_a_system_client(tmp_path):
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'routes.db'}"))
    prefix = "/ehoks-virkailija-backend/api/v1/"
    provider = [
        r for r in all_routes(app) if r.path.startswith((prefix + "hoks", prefix + "validointi"))
    ]
    assert provider
    assert all("provider system" in r.policies[0] for r in provider), provider
