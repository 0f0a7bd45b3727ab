"""The service documents itself (with bundled assets) and answers its probes."""

from __future__ import annotations


def test_openapi_describes_the_provider_api_with_hoks_schemas(http):
    document = http.get("/openapi.json").json()
    paths = document["paths"]
    assert "/ehoks-virkailija-backend/api/v1/hoks" in paths
    assert "/ehoks-virkailija-backend/api/v1/hoks/{hoks_id}" in paths
    assert "/ehoks-virkailija-backend/api/v1/validointi" in paths
    post = paths["/ehoks-virkailija-backend/api/v1/hoks"]["post"]
    ref = post["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    schema_name = ref.rsplit("/", 1)[1]
    schemas = document["components"]["schemas"]
    assert schemas[schema_name]["additionalProperties"] is False
    assert "opiskeluoikeus-oid" in schemas[schema_name]["required"]
    assert "OsaamisenHankkimistapaPut" in schemas


def test_docs_page_uses_only_bundled_assets(http):
    page = http.get("/docs")
    assert page.status_code == 200
    assert "http://" not in page.text
    assert "https://" not in page.text
    for asset in ("swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-standalone-preset.js"):
        response = http.get(f"/docs/assets/{asset}")
        assert response.status_code == 200
        assert len(response.content) > 1000
    assert http.get("/docs/assets/../../etc/passwd").status_code == 404
    assert http.get("/docs/assets/index.html").status_code == 404


def test_health_probes(http):
    assert http.get("/healthz").json() == {"status": "ok"}
    assert http.get("/readyz").json() == {"status": "ready"}
    response = http.get("/healthz")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Request-Id"]
