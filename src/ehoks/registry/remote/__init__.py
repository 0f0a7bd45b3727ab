"""The national registries over HTTP: Koski, ONR, organisaatio, koodisto and ePerusteet.

Each registry is `local` (only the copies `ehoks registry import` fills) or `http` (settings
`EHOKS_<REGISTRY>_MODE`, `_URL`, `_USERNAME`, `_PASSWORD`). What a client fetches is parsed by the
same code as the import files and stored in the same tables, so the rest of the service reads
the local copies either way.
"""
