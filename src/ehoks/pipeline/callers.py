"""Who calls: a subject known before the work starts, or one resolved inside its transaction.

A provider system is known from its bearer token before any work (`system_client_policy`). A
person with a session cookie is resolved inside the request's own transaction: the route's
policy dependency (`person_policy`) only takes the cookie and the CSRF token, refusing a request
without a session cookie at once; the pipeline then asks the connected `PersonResolver`
(`ehoks.auth.identity`, connected by `ehoks.wiring`) who that is, in the same transaction as the
work.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final, Generic, Protocol, TypeVar, runtime_checkable

from fastapi import Depends, Request, params

from ehoks.access.subjects import (
    StaffSubject,
    StudentSubject,
    Subject,
    SubjectKind,
    WorkplaceInstructorSubject,
)
from ehoks.kit.errors import ApiError
from ehoks.kit.forms import MAX_FIELDS, MAX_FORM_BYTES, read_form
from ehoks.kit.policy import mark
from ehoks.pipeline.unit import Unit

PersonSubject = StaffSubject | StudentSubject | WorkplaceInstructorSubject
P_co = TypeVar("P_co", bound=PersonSubject, covariant=True)
S_co = TypeVar("S_co", bound=Subject, covariant=True)
SESSION_COOKIE: Final = "ehoks_session"
CSRF_HEADER: Final = "X-CSRF-Token"
CSRF_FORM_FIELD: Final = "csrf_token"
SAFE_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS"})
FormLimits = tuple[int, int]  # (bytes, fields) of a form body


@runtime_checkable
class Resolvable(Protocol[S_co]):
    """A caller found out inside the transaction of the work (a session, a sign-in link)."""

    def resolve(self, unit: Unit) -> S_co:
        """The subject; raises `ApiError` (401, 403) when there is none it may act as."""
        ...


@dataclass(frozen=True, slots=True)
class SessionCredentials:
    """What a request presents of a web session: the cookie's token and the CSRF token sent."""

    token: str
    csrf_token: str
    checks_csrf: bool  # a state-changing method: the CSRF token must match the session's


class OtherKindError(ApiError):
    """403: a person is signed in, but as another kind than the route serves (a student on a
    staff page). Carries who it is, so the error page can say so and offer the way back."""

    def __init__(self, subject: PersonSubject) -> None:
        super().__init__(403, "forbidden")
        self.subject = subject


PersonResolver = Callable[[Unit, SessionCredentials], PersonSubject | None]
_resolver: list[PersonResolver] = []
_resolver_lock = threading.Lock()


def connect_person_resolver(resolver: PersonResolver) -> None:
    """Say how a session is resolved to a person (`ehoks.wiring` does, at start-up)."""
    with _resolver_lock:
        _resolver[:] = [resolver]


@dataclass(frozen=True, slots=True)
class PendingPerson(Generic[P_co]):
    """A signed-in person of one of `kinds`, to be resolved inside the work's transaction."""

    credentials: SessionCredentials
    kinds: frozenset[SubjectKind]

    def resolve(self, unit: Unit) -> P_co:
        with _resolver_lock:
            resolvers = list(_resolver)
        if not resolvers:
            raise RuntimeError("no person resolver: call ehoks.wiring.connect() at start-up")
        subject = resolvers[0](unit, self.credentials)
        if subject is None:
            raise ApiError(401, "not_authenticated")
        if subject.kind not in self.kinds:
            raise OtherKindError(subject)
        return subject  # type: ignore[return-value]  # one of `kinds`, so a P_co


def person_policy(*kinds: SubjectKind, description: str) -> params.Depends:
    """The policy of a route for signed-in people of `kinds`: gives a `PendingPerson`.

    No session cookie: 401 at once. A state-changing method must send the session's CSRF token
    in `X-CSRF-Token`; the token itself is compared once the session is found.
    """
    allowed = frozenset(kinds)

    async def signed_in_person(request: Request) -> PendingPerson[PersonSubject]:
        return _pending(request, allowed, request.headers.get(CSRF_HEADER, ""))

    dependency: params.Depends = Depends(mark(signed_in_person, description))
    return dependency


def session_form_policy(
    *kinds: SubjectKind, description: str, limits: FormLimits | None = None
) -> params.Depends:
    """Like `person_policy`, for routes that plain HTML forms post to (sign-out): the CSRF token
    may come in the `X-CSRF-Token` header or in the form field `csrf_token`. `limits`: the
    (bytes, fields) of a larger form than the default."""
    allowed = frozenset(kinds)
    max_bytes, max_fields = limits or (MAX_FORM_BYTES, MAX_FIELDS)

    async def signed_in_person_form(request: Request) -> PendingPerson[PersonSubject]:
        sent = request.headers.get(CSRF_HEADER, "")
        if not sent:
            form = await read_form(request, max_bytes=max_bytes, max_fields=max_fields)
            sent = form.get(CSRF_FORM_FIELD, "")
        return _pending(request, allowed, sent)

    dependency: params.Depends = Depends(mark(signed_in_person_form, description))
    return dependency


def pending_person(request: Request, kinds: frozenset[SubjectKind]) -> PendingPerson[PersonSubject]:
    """What `person_policy(*kinds)` gives the route, for a route's shortcut (`kit.shortcut`)."""
    return _pending(request, kinds, request.headers.get(CSRF_HEADER, ""))


def _pending(
    request: Request, kinds: frozenset[SubjectKind], csrf_token: str
) -> PendingPerson[PersonSubject]:
    token = request.cookies.get(SESSION_COOKIE, "")
    if not token:
        raise ApiError(401, "not_authenticated")
    checks_csrf = request.method not in SAFE_METHODS
    return PendingPerson(SessionCredentials(token, csrf_token, checks_csrf), kinds)
