"""The provider systems' alerts: deadlines and data quality of their plans (not in the national
API; documented in docs/provider-api.md). Matched before `/hoks/{hoks_id}`."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import Field
from starlette.responses import Response

from ehoks.audit.service import Outcome
from ehoks.hoks.routes import PREFIX, ClientUnit, ReadClient
from ehoks.kit.responses import Envelope, Wire, envelope, omitted_if_none
from ehoks.pipeline.run import handle
from ehoks.reports import alerts

router = APIRouter(prefix=PREFIX, tags=["provider API: synchronisation"])

DEFAULT_AHEAD_DAYS = 30
MAX_AHEAD_DAYS = 365


class AlertItem(Wire):
    """One thing to fix in one plan, by the rule it breaks."""

    rule: str = Field(description="The rule's stable code (docs/provider-api.md lists them).")
    hoks_id: int
    oppija_oid: str
    opiskeluoikeus_oid: str | None = omitted_if_none("For the rules about a whole plan.")
    due: date | None = omitted_if_none("The period's or the study right's end.")
    yksiloiva_tunniste: str | None = omitted_if_none("The workplace period's identifier.")
    alku: date | None = omitted_if_none("The workplace period's first day.")
    loppu: date | None = omitted_if_none("The workplace period's last day.")
    message: dict[str, str] = Field(description="What is wrong, in `fi`, `sv` and `en`.")


class AlertMeta(Wire):
    count: int
    truncated: bool = Field(description=f"More than {alerts.MAX_ALERTS} alerts: only those listed.")


@router.get(
    "/hoks/huomautukset",
    summary="Deadline and data-quality alerts of your organisation's HOKS",
    response_model=Envelope[list[AlertItem], AlertMeta],
)
async def alert_list(
    request: Request,
    subject: ReadClient,
    ahead_days: Annotated[
        int,
        Query(
            alias="ahead-days",
            ge=0,
            le=MAX_AHEAD_DAYS,
            description="Workplace periods ending within this many days from today (and those "
            "ended in the last 60) are checked.",
        ),
    ] = DEFAULT_AHEAD_DAYS,
) -> Response:
    """What your organisation's plans lack before a deadline: workplace periods ending soon or
    ended lately without what feedback and funding need, plans without a first approval date,
    plans still open although their study right has ended. The same rules as the staff
    data-quality report."""

    def work(unit: ClientUnit) -> alerts.Alerts:
        found = alerts.alerts_for(
            unit.session,
            unit.access,
            subject.organisation_oid,
            today=unit.today,
            ahead_days=ahead_days,
        )
        template = unit.audit.event(Outcome.SUCCESS)
        listed = {alert.hoks_id: alert.oppija_oid for alert in found.alerts}
        if listed:
            events = [replace(template, hoks_id=h, oppija_oid=o) for h, o in listed.items()]
            unit.audit.recorded_all(unit.session, events)
        return found

    found = await handle(request, subject, "hoks.alerts", work, read_only=True)
    items = [
        AlertItem(
            rule=a.rule,
            hoks_id=a.hoks_id,
            oppija_oid=a.oppija_oid,
            opiskeluoikeus_oid=a.opiskeluoikeus_oid,
            due=a.due,
            yksiloiva_tunniste=a.yksiloiva_tunniste,
            alku=a.alku,
            loppu=a.loppu,
            message=a.message,
        )
        for a in found.alerts
    ]
    return envelope(items, AlertMeta(count=len(items), truncated=found.truncated))
