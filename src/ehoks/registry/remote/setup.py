"""The registries a process uses, built once from the settings and reached through the session.

`attach` puts them into a session factory's `info`, so that code deep in a write (which sees only
its session) finds them without a global: `registries_of(session)`. A factory without them is
all-local, which is what the import, the CLI and most tests use.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Final

from ehoks.registry.remote.clients import (
    EperusteetClient,
    KoodistoClient,
    KoskiClient,
    OnrClient,
    OrganisaatioClient,
)
from ehoks.registry.remote.transport import CallPolicy, Endpoint, RegistryTransport

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from ehoks.config import Settings

_INFO_KEY: Final = "ehoks.registries"


@dataclass(frozen=True)
class Registries:
    """A client per `http` registry (None: `local`), with the maximum age of local copies."""

    koski: KoskiClient | None = None
    onr: OnrClient | None = None
    organisaatio: OrganisaatioClient | None = None
    koodisto: KoodistoClient | None = None
    eperusteet: EperusteetClient | None = None
    koski_max_age: timedelta = timedelta(days=1)
    onr_max_age: timedelta = timedelta(days=1)
    organisaatio_max_age: timedelta = timedelta(days=1)

    @property
    def any_remote(self) -> bool:
        return any(
            client is not None
            for client in (self.koski, self.onr, self.organisaatio, self.koodisto, self.eperusteet)
        )

    def close(self) -> None:
        for client in (self.koski, self.onr, self.organisaatio, self.koodisto, self.eperusteet):
            if client is not None:
                client.transport.close()


LOCAL: Final = Registries()


def registries_from(settings: Settings) -> Registries:
    """The clients of the registries that `settings` set to `http`."""
    policy = CallPolicy(
        timeout_seconds=settings.registry_timeout_seconds,
        attempts=settings.registry_attempts,
        breaker_failures=settings.registry_breaker_failures,
        breaker_reset_seconds=settings.registry_breaker_reset_seconds,
    )

    def transport(name: str) -> RegistryTransport | None:
        if getattr(settings, f"{name}_mode") != "http":
            return None
        endpoint = Endpoint(
            registry=name,
            base_url=getattr(settings, f"{name}_url"),
            username=getattr(settings, f"{name}_username"),
            password=getattr(settings, f"{name}_password"),
        )
        return RegistryTransport(endpoint, policy)

    koski, onr, organisaatio = transport("koski"), transport("onr"), transport("organisaatio")
    koodisto, eperusteet = transport("koodisto"), transport("eperusteet")
    return Registries(
        koski=KoskiClient(koski) if koski else None,
        onr=OnrClient(onr) if onr else None,
        organisaatio=OrganisaatioClient(organisaatio) if organisaatio else None,
        koodisto=KoodistoClient(koodisto) if koodisto else None,
        eperusteet=EperusteetClient(eperusteet) if eperusteet else None,
        koski_max_age=timedelta(seconds=settings.koski_max_age_seconds),
        onr_max_age=timedelta(seconds=settings.onr_max_age_seconds),
        organisaatio_max_age=timedelta(seconds=settings.organisaatio_max_age_seconds),
    )


def attach(factory: sessionmaker[Session], registries: Registries) -> None:
    """Sessions of `factory` use `registries` from now on."""
    info = dict(factory.kw.get("info") or {})
    info[_INFO_KEY] = registries
    factory.configure(info=info)


def registries_of(session: Session) -> Registries:
    """The registries the session's factory was given; all-local if none."""
    found = session.info.get(_INFO_KEY)
    return found if isinstance(found, Registries) else LOCAL
