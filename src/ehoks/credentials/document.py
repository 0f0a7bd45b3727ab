"""The competence summary as an Open Badges 3.0 `AchievementCredential` (W3C VC data model 2.0).

One credential lists every unit reached: the achievement is the summary of the plan, each unit a
`ResultDescription` with its `Result` (status Completed, and in words how and when), and the
units' demonstrations and the workplace periods are `evidence`. The texts are in the language the
student chose. The subject is named (an employer must see whose it is) but carries no identity
code, student number or contact details.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final

from ehoks.credentials.summary import CompetenceSummary
from ehoks.kit.translations import N_, translator

CONTEXTS: Final = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
TYPES: Final = ["VerifiableCredential", "AchievementCredential"]
NOTICE: Final = N_(
    "A summary of the student's personal competence development plan (HOKS), signed by eHOKS. "
    "It is not a certificate: the official record of completed studies is Koski."
)


def achievement_credential(
    summary: CompetenceSummary,
    *,
    credential_id: str,
    issuer: str,
    issuer_url: str,
    issued_at: datetime,
    status: dict[str, Any],
) -> dict[str, Any]:
    """The credential (unsigned) for `summary`; `status` is its `credentialStatus`."""
    texts = translator(summary.lang)
    # A translation may hold a soft hyphen for the page's heading on a phone; a credential's
    # name is plain text.
    title = texts.gettext("Competence summary").replace("\u00ad", "")
    name = f"{title}: {summary.qualification}" if summary.qualification else title
    descriptions = [
        {
            "id": f"{credential_id}:unit:{number}",
            "type": ["ResultDescription"],
            "name": unit.name,
            "resultType": "Status",
        }
        for number, unit in enumerate(summary.units, start=1)
    ]
    results = [
        {
            "type": ["Result"],
            "resultDescription": description["id"],
            "status": "Completed",
            "value": ", ".join(part for part in (unit.how, unit.reached_text) if part),
        }
        for description, unit in zip(descriptions, summary.units, strict=True)
    ]
    evidence = [
        {
            "type": ["Evidence"],
            "name": unit.name,
            "genre": unit.how,
            "narrative": "\n".join(unit.shown),
        }
        for unit in summary.units
        if unit.shown
    ]
    workplace = texts.gettext("Learning at workplaces")
    evidence += [
        {
            "type": ["Evidence"],
            "name": period.employer,
            "genre": workplace,
            "description": period.dates,
            "narrative": "\n".join([period.unit, *period.tasks]),
        }
        for period in summary.periods
    ]
    return {
        "@context": CONTEXTS,
        "id": credential_id,
        "type": TYPES,
        "name": name,
        "description": texts.gettext(NOTICE),
        "issuer": {"id": issuer, "type": ["Profile"], "name": "eHOKS", "url": issuer_url},
        "validFrom": _instant(issued_at),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": summary.student,
                }
            ],
            "achievement": {
                "id": f"{credential_id}:achievement",
                "type": ["Achievement"],
                "achievementType": "Competency",
                "name": name,
                "description": texts.gettext(NOTICE),
                "criteria": {"narrative": texts.gettext("Units completed or recognised")},
                "inLanguage": summary.lang.value,
                **({"humanCode": summary.qualification} if summary.qualification else {}),
                "resultDescription": descriptions,
            },
            "result": results,
            **_provider(summary),
        },
        "evidence": evidence,
        "credentialStatus": status,
    }


def _provider(summary: CompetenceSummary) -> dict[str, Any]:
    """The institution that assessed the units (an organisation OID as its URI)."""
    if not summary.institution or not summary.institution_oid:
        return {}
    profile = {"id": f"urn:oid:{summary.institution_oid}", "type": ["Profile"]}
    return {"source": {**profile, "name": summary.institution}}


def _instant(moment: datetime) -> str:
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")
