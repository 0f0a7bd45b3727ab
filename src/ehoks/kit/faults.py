"""Unexpected failures: which of them mean "the database is away", and how they are logged.

A database that cannot be reached (refused or dropped connections, a full pool, SQLite locked
past its wait) is not the caller's fault and passes: it answers 503 `database_unavailable` with
`Retry-After`, never 500.

Log lines of failures carry no personal data and no secrets (docs/operations.md): a database
error's text holds the statement's parameters (e-mail addresses, sign-in state, PKCE verifiers,
whole audit rows) and, from PostgreSQL, the offending values ("Key (x)=(...) already exists").
So a failure is logged by what it is and where it happened: the exception types of its chain,
the traceback's frames, a database error's SQLSTATE and statement (with placeholders, never
values); never an exception's own message.
"""

from __future__ import annotations

import logging
import traceback
from typing import Final

from sqlalchemy import exc as sa

from ehoks.kit.errors import ApiError

RETRY_AFTER_S: Final = 5
_UNAVAILABLE: Final = (sa.OperationalError, sa.InterfaceError, sa.TimeoutError)
_MAX_STATEMENT: Final = 2000
_MAX_CHAIN: Final = 5


def unavailable(error: BaseException) -> ApiError | None:
    """503 `database_unavailable` if `error` (or what caused it) says the database is away."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, _UNAVAILABLE) or (
            isinstance(seen, sa.DBAPIError) and seen.connection_invalidated
        ):
            return database_unavailable()
        seen = seen.__cause__ or seen.__context__
    return None


def database_unavailable() -> ApiError:
    return ApiError(503, "database_unavailable", headers={"Retry-After": str(RETRY_AFTER_S)})


def log_failure(log: logging.Logger, what: str, error: BaseException, request_id: str) -> None:
    """Log `error` without anything it carries: types, frames, SQLSTATE and statement only."""
    log.error(
        "%s: %s",
        what,
        describe(error),
        extra={"request_id": request_id},
    )


def describe(error: BaseException) -> str:
    """The failure's chain as types, database facts and frames (most recent call last)."""
    parts: list[str] = []
    seen: BaseException | None = error
    depth = 0
    while seen is not None and depth < _MAX_CHAIN:
        parts.append(_one(seen))
        seen = seen.__cause__ or seen.__context__
        depth += 1
    return "\n  caused while handling: ".join(parts)


def _one(error: BaseException) -> str:
    name = f"{type(error).__module__}.{type(error).__qualname__}"
    facts = []
    if isinstance(error, sa.DBAPIError):
        orig = error.orig
        if orig is not None:
            facts.append(f"driver error {type(orig).__module__}.{type(orig).__qualname__}")
            state = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
            if state:
                facts.append(f"SQLSTATE {state}")
    if isinstance(error, sa.StatementError) and error.statement:
        facts.append(f"statement: {' '.join(error.statement.split())[:_MAX_STATEMENT]}")
    frames = "".join(traceback.format_tb(error.__traceback__)).rstrip()
    head = name + (f" ({'; '.join(facts)})" if facts else "")
    return f"{head}\n{frames}" if frames else head
