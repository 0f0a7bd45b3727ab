"""Every route documents its success response in the OpenAPI document, not only its request.

A JSON success response names a schema (a wire model or a HOKS schema), never the empty `{}`
that an answer without a declared model gets; pages declare HTML; redirects and empty answers
say so.
"""

from __future__ import annotations

from ehoks.app import create_app
from ehoks.config import Settings
from ehoks.kit.docs import openapi_document


def _document(tmp_path):
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'docs.db'}"))

    class _Request:  # openapi_document reads only the app
        def __init__(self) -> None:
            self.app = app

    return openapi_document(_Request())  # type: ignore[arg-type]


def _successes(operation):
    return {
        status: response for status, response in operation["responses"].items() if status[0] in "23"
    }


def test_every_operation_documents_what_it_answers(tmp_path):
    document = _document(tmp_path)
    undocumented = []
    operations = 0
    for path, item in document["paths"].items():
        for method, operation in item.items():
            operations += 1
            successes = _successes(operation)
            if not successes and "410" in operation["responses"]:
                continue  # a removed route: it only ever answers 410
            for status, response in successes.items() or {"(none)": {}}.items():
                content = response.get("content", {})
                if status in {"204", "301", "302", "303", "304", "307"} and not content:
                    continue
                if "text/html" in content:
                    continue
                # JSON mostly; a CAS service ticket is plain text, a report may be CSV.
                schemas = [media.get("schema") for media in content.values()]
                if not any(schemas):
                    undocumented.append(f"{method.upper()} {path} {status}")
    assert operations > 40
    assert undocumented == []


def test_documented_answers_name_their_fields(tmp_path):
    document = _document(tmp_path)
    schemas = document["components"]["schemas"]
    search = document["paths"]["/ehoks-virkailija-backend/api/v1/virkailija/oppijat"]["get"]
    ref = search["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    envelope = schemas[ref.rsplit("/", 1)[1]]
    row = schemas[envelope["properties"]["data"]["items"]["$ref"].rsplit("/", 1)[1]]
    assert {"oid", "nimi", "opiskeluoikeus-oid", "hoks-id", "tutkinto-nimi"} <= set(
        row["properties"]
    )
    session = document["paths"]["/ehoks-virkailija-backend/api/v1/virkailija/session"]["get"]
    ref = session["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    data = schemas[ref.rsplit("/", 1)[1]]["properties"]["data"]["$ref"].rsplit("/", 1)[1]
    assert {"oidHenkilo", "isSuperuser", "csrf-token"} <= set(schemas[data]["properties"])
    read = document["paths"]["/ehoks-virkailija-backend/api/v1/hoks/{hoks_id}"]["get"]
    assert read["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/HOKSEnvelope"
    }
