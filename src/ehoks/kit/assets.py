"""The pages' style sheets and scripts, served with content-hashed names and cached for a year.

Every file in `ehoks/static` is read once per process and published as
`/assets/<name>.<hash>.<ext>`: a changed file gets a new address, so browsers may keep each
address forever (`immutable`) and never show a stale style sheet. Templates name files by their
plain name through `asset_url("site.css")`. Nothing here is personal data, which is why these
are the only responses of the service that may be cached at all.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Final

from fastapi import APIRouter
from starlette.responses import Response

from ehoks.kit.errors import ApiError
from ehoks.kit.policy import public

STATIC_DIR: Final = Path(__file__).resolve().parent.parent / "static"
PREFIX: Final = "/assets"
CACHE_FOREVER: Final = "public, max-age=31536000, immutable"
CONTENT_TYPES: Final = {
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
}
HASH_LENGTH: Final = 16


@dataclass(frozen=True, slots=True)
class Asset:
    url: str
    content: bytes
    content_type: str
    etag: str


@cache
def bundle() -> dict[str, Asset]:
    """Every static file by its plain name (`site.css`), with its hashed address."""
    assets: dict[str, Asset] = {}
    for path in sorted(STATIC_DIR.iterdir()):
        if not path.is_file() or path.suffix not in CONTENT_TYPES:
            continue
        content = path.read_bytes()
        digest = hashlib.sha256(content).hexdigest()[:HASH_LENGTH]
        url = f"{PREFIX}/{path.stem}.{digest}{path.suffix}"
        assets[path.name] = Asset(url, content, CONTENT_TYPES[path.suffix], f'"{digest}"')
    return assets


@cache
def _by_url() -> dict[str, Asset]:
    return {asset.url: asset for asset in bundle().values()}


def asset_url(name: str) -> str:
    """The hashed address of a static file; KeyError for a file that does not exist."""
    return bundle()[name].url


router = APIRouter(include_in_schema=False)


@router.get(
    PREFIX + "/{file_name}",
    dependencies=[public("style sheets and scripts of the pages; no personal data")],
)
def asset(file_name: str) -> Response:
    found = _by_url().get(f"{PREFIX}/{file_name}")
    if found is None:
        raise ApiError(404, "not_found")
    headers = {"Cache-Control": CACHE_FOREVER, "ETag": found.etag}
    return Response(found.content, media_type=found.content_type, headers=headers)
