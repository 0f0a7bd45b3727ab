"""OpenAPI documentation served by the service itself, with Swagger UI's assets bundled.

No CDN: the assets come from the `swagger-ui-py` package installed with the service (Swagger UI 5,
which reads OpenAPI 3.1 as FastAPI writes it; the 4.x of `swagger-ui-bundle` showed nothing), so
the documentation works on machines without internet access.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.openapi.utils import get_openapi
from fastapi.responses import FileResponse, HTMLResponse

from ehoks.kit.assets import asset_url
from ehoks.kit.errors import ApiError
from ehoks.kit.http import JsonResponse
from ehoks.kit.policy import public

router = APIRouter(include_in_schema=False)


def _assets() -> Path:
    # Found without importing the package, whose import loads its web-framework adapters.
    spec = importlib.util.find_spec("swagger_ui")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("swagger-ui-py is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "static"


ASSETS = _assets()
_ALLOWED_ASSETS = frozenset(
    {
        "swagger-ui.css",
        "swagger-ui-bundle.js",
        "swagger-ui-standalone-preset.js",
        "favicon-32x32.png",
    }
)

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>eHOKS API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
<link rel="icon" href="/docs/assets/favicon-32x32.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/assets/swagger-ui-standalone-preset.js"></script>
<script src="{init}"></script>
</body>
</html>
"""


def openapi_document(request: Request) -> dict[str, Any]:
    app = request.app
    cached = getattr(app.state, "openapi_document", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    document = get_openapi(
        title=app.title, version=app.version, description=app.description, routes=app.routes
    )
    extend = getattr(app.state, "openapi_extenders", [])
    for extender in extend:
        extender(document)
    app.state.openapi_document = document
    return document


@router.get("/openapi.json", dependencies=[public("API description")])
def openapi_json(request: Request) -> JsonResponse:
    return JsonResponse(openapi_document(request))


@router.get("/docs", dependencies=[public("API documentation page")])
def docs_page() -> HTMLResponse:
    return HTMLResponse(_PAGE.replace("{init}", asset_url("swagger-init.js")))


@router.get("/docs/assets/{name}", dependencies=[public("documentation assets")])
def docs_asset(name: str) -> FileResponse:
    if name not in _ALLOWED_ASSETS:
        raise ApiError(404, "not_found")
    return FileResponse(ASSETS / name)
