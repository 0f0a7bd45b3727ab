"""The palaute backend's routes (ehoks-api.md 3.12), at the paths they were meant to have.

Nationally only the herätepalvelu service account calls them (a service ticket with write on the
national root); here a provider system whose organisation is the national root and that has
write access. Anyone else is refused (403), before anything is run.
"""

from __future__ import annotations

from ehoks.access.rules import Access
from ehoks.audit.scope import AuditScope
from ehoks.feedback.worker.on_demand import Outcome
from ehoks.kit.errors import ApiError


def authorise(
    access: Access, audit: AuditScope, *, hoks_id: int | None, feedback_id: int | None
) -> None:
    """Only a national system with write access may make the worker's work happen now."""
    if not access.is_national_system:
        raise ApiError(403, "forbidden")
    audit.about(hoks_id=hoks_id, feedback_id=feedback_id)


def tunnukset(outcomes: list[Outcome]) -> list[str]:
    """The Arvo ids (vastaajatunnukset) the run made."""
    return [o.tunnus for o in outcomes if o.tunnus and o.state != "odottaa_kasittelya"]


def links(outcomes: list[Outcome]) -> list[str]:
    return [o.link for o in outcomes if o.link and o.state != "odottaa_kasittelya"]
