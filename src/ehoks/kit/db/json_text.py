"""A top-level member of a JSON document kept as text, read in SQL on either database.

The HOKS document is a text column (its canonical JSON, written and read whole). A query that
must tell whether the document itself has a member, not merely the member's name somewhere in
it, reads the member with the database's own JSON functions: `json_extract` on SQLite and
`jsonb_extract_path_text` on the text cast to `jsonb` on PostgreSQL. Both give NULL for a member
that is missing or JSON `null`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnExpressionArgument, Text, literal
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement


class json_member(FunctionElement[str]):  # noqa: N801 - a SQL function, named as one
    """The text of the top-level member `key` of the JSON text in `document`, or NULL."""

    type = Text()
    inherit_cache = True  # the key is a bound clause, so it is part of the cache key
    name = "json_member"

    def __init__(self, document: ColumnExpressionArgument[str], key: str) -> None:
        super().__init__(document, literal(key, Text()))


@compiles(json_member)
def _sqlite(element: json_member, compiler: SQLCompiler, **kw: Any) -> str:
    document, key = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"json_extract({document}, '$.\"' || {key} || '\"')"


@compiles(json_member, "postgresql")
def _postgresql(element: json_member, compiler: SQLCompiler, **kw: Any) -> str:
    document, key = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"jsonb_extract_path_text(CAST({document} AS jsonb), {key})"
