"""Typed settings, read from the environment (prefix `EHOKS_`).

With no settings the service runs for real on a SQLite file in the working directory: access
tokens are signed with a key generated on first use and kept in the database (never a key from
the source), and there is no development sign-in. Development mode (`EHOKS_DEVELOPMENT_MODE`, or
the `ehoks demo` command) is an explicit choice; only it runs the development identity provider,
and a server in development mode says so in its log at every start and on every page.
"""

from __future__ import annotations

import hashlib
from functools import cache
from typing import Final, Literal, Self

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# SHA-256 of signing keys that were once published in this project's source. Such a key signs
# nothing: whoever has read the source could forge tokens with it.
PUBLISHED_KEY_DIGESTS: Final = frozenset(
    {"f072bc5290375153798d26a281eb2e9e674984ed7b35a1ce074d8d1546896b17"}
)
DEVELOPMENT_CLIENT_SECRETS: Final = frozenset(
    {"development-staff-client-secret", "development-student-client-secret"}
)


RegistryMode = Literal["local", "http"]
REGISTRIES: Final = ("koski", "onr", "organisaatio", "koodisto", "eperusteet")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="EHOKS_", extra="ignore")

    # Development mode: the development identity provider (anyone signs in as anyone), and a
    # warning on every start and every page. Never on unless chosen.
    development_mode: bool = False
    # Replaced by development_mode; a value here is refused so that an old setting cannot
    # silently mean something else.
    environment: str | None = Field(default=None, exclude=True)
    database_url: str = Field(
        default="sqlite:///ehoks.db",
        description="SQLAlchemy URL; sqlite:///FILE or postgresql+psycopg://user@host/db",
    )
    database_pool_size: int = Field(default=10, ge=1, le=200)
    # Connections of a web process's event loop (PostgreSQL only): GET one HOKS reads on them
    # without a worker thread (ehoks.kit.db.loop_pool; docs/operations.md, "Database
    # connections"). 0 (the default until it pays with two workers; bench/README.md): every read
    # in the request threads.
    database_loop_pool_size: int = Field(default=0, ge=0, le=50)
    # How often a web process writes the audit records of provider systems' reads, together
    # (ehoks.audit.recorder; docs/operations.md, "Audit log"). 0: each in a transaction of its
    # own before the read is answered.
    read_audit_interval_ms: int = Field(default=200, ge=0, le=5000)
    # One JSON line per request on standard error (ehoks.kit.observe): request id, route
    # template, status, duration; never a path, query or body.
    request_log: bool = True
    # How long a web process remembers the number of matches of a staff list (the same question
    # by a caller with the same access scope; ehoks.kit.db.counts). 0: counted on every page.
    list_count_seconds: float = Field(default=30, ge=0, le=600)
    # HMAC key of provider access tokens. Unset: a key generated on first use and stored in the
    # database, shared by every web process (ehoks.kit.keys).
    token_signing_key: str | None = Field(default=None, min_length=32)
    token_ttl_seconds: int = Field(default=300, ge=30, le=3600)
    token_issuer: str = "ehoks"  # noqa: S105 - an issuer name, not a secret
    # CAS sign-in of provider systems (as the national service's): how long a ticket-granting
    # ticket lasts, and a service ticket (single use) before it is redeemed.
    cas_ticket_granting_minutes: int = Field(default=120, ge=1, le=24 * 60)
    cas_service_ticket_seconds: int = Field(default=60, ge=5, le=3600)
    max_body_bytes: int = Field(default=2_000_000, ge=10_000)
    max_batch_bytes: int = Field(default=50_000_000, ge=10_000)
    # The HTTP server (`ehoks serve`, ehoks.cli.http_limits): how long a request's head may take
    # to arrive, how long its body may pause, and how long an idle connection is kept.
    http_head_timeout_seconds: float = Field(default=10.0, gt=0, le=300)
    http_body_idle_seconds: float = Field(default=30.0, gt=0, le=600)
    http_keep_alive_seconds: int = Field(default=5, ge=1, le=300)
    timezone: str = "Europe/Helsinki"

    # Where people reach the service; used in sign-in redirects and e-mailed links.
    public_base_url: str = "http://127.0.0.1:8000"

    # Web sessions (staff, students, workplace instructors).
    session_idle_minutes: int = Field(default=30, ge=1, le=24 * 60)
    session_absolute_minutes: int = Field(default=8 * 60, ge=5, le=7 * 24 * 60)
    instructor_session_minutes: int = Field(default=60, ge=5, le=24 * 60)
    cookie_secure: bool = True

    # OpenID Connect. An empty issuer means no sign-in of that kind, except in development mode,
    # where the built-in development identity provider at <public_base_url>/dev-idp stands in.
    # The default client secrets open only that development provider; a real issuer needs its
    # own secret.
    oidc_staff_issuer: str = ""
    oidc_staff_client_id: str = "ehoks-staff"
    oidc_staff_client_secret: str = "development-staff-client-secret"  # noqa: S105 - opens only the development IdP
    oidc_student_issuer: str = ""
    oidc_student_client_id: str = "ehoks-student"
    oidc_student_client_secret: str = "development-student-client-secret"  # noqa: S105 - opens only the development IdP
    # Staff grants from an identity-provider claim: the claim's name, holding strings of the form
    # "<role>:<organisation OID>" (e.g. "write:1.2.246.562.10.53642770753"); empty disables it.
    oidc_staff_grants_claim: str = "ehoks_grants"

    # E-mail (workplace instructors' sign-in links).
    smtp_host: str = "127.0.0.1"
    smtp_port: int = Field(default=8025, ge=1, le=65535)
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    mail_from: str = "eHOKS <noreply@ehoks.invalid>"
    instructor_link_minutes: int = Field(default=30, ge=5, le=24 * 60)
    # Where people send accessibility feedback (the statement at /saavutettavuus names it; the
    # act on digital services, 306/2019, requires a channel answered within 14 days).
    accessibility_contact: str = "saavutettavuus@ehoks.invalid"
    # An instructor sees a workplace period from this many days before it starts until this many
    # days after it ends (docs/workplace-instructors.md explains the choice).
    instructor_days_before: int = Field(default=14, ge=0, le=365)
    instructor_days_after: int = Field(default=30, ge=0, le=365)

    # Feedback surveys (docs/feedback.md). Without an Arvo URL a built-in issuer makes the links.
    arvo_url: str = ""
    arvo_username: str = ""
    arvo_password: str = ""
    # At most a minute: a job's step between two checks of its lease must stay well inside the
    # lease (docs/feedback.md, "Leases").
    arvo_timeout_seconds: float = Field(default=10.0, gt=0, le=60)
    # "always", or days and Helsinki hours such as "Mon-Fri 07:00-18:00".
    feedback_sending_window: str = "Mon-Fri 07:00-18:00"
    feedback_max_attempts: int = Field(default=8, ge=1, le=100)
    feedback_retry_seconds: int = Field(default=60, ge=1, le=86_400)
    worker_poll_seconds: float = Field(default=30.0, gt=0, le=3600)
    # Jobs of a claimed batch run side by side (PostgreSQL); each holds a database connection.
    worker_threads: int = Field(default=8, ge=1, le=16)

    # National registries (docs/operations.md, "National registries"). `local`: only the copies
    # that `ehoks registry import` fills. `http`: the national service at the URL, with HTTP basic
    # auth when a username is set; what a write needs and the local copy lacks (or holds for
    # longer than the maximum age) is fetched and stored in the same tables.
    koski_mode: RegistryMode = "local"
    koski_url: str = ""
    koski_username: str = ""
    koski_password: str = ""
    koski_max_age_seconds: int = Field(default=24 * 3600, ge=0, le=30 * 24 * 3600)
    onr_mode: RegistryMode = "local"
    onr_url: str = ""
    onr_username: str = ""
    onr_password: str = ""
    onr_max_age_seconds: int = Field(default=24 * 3600, ge=0, le=30 * 24 * 3600)
    organisaatio_mode: RegistryMode = "local"
    organisaatio_url: str = ""
    organisaatio_username: str = ""
    organisaatio_password: str = ""
    organisaatio_max_age_seconds: int = Field(default=24 * 3600, ge=0, le=30 * 24 * 3600)
    koodisto_mode: RegistryMode = "local"
    koodisto_url: str = ""
    koodisto_username: str = ""
    koodisto_password: str = ""
    eperusteet_mode: RegistryMode = "local"
    eperusteet_url: str = ""
    eperusteet_username: str = ""
    eperusteet_password: str = ""
    # Every registry call: the wait for one attempt (and for all attempts together), the number
    # of attempts, and the circuit breaker: this many failed attempts in a row stop calls to that
    # registry for the reset time, after which one trial call decides.
    registry_timeout_seconds: float = Field(default=5.0, gt=0, le=120)
    registry_attempts: int = Field(default=3, ge=1, le=10)
    registry_breaker_failures: int = Field(default=5, ge=1, le=1000)
    registry_breaker_reset_seconds: float = Field(default=30.0, gt=0, le=3600)
    # `ehoks worker` refreshes the rows of `http` registries older than their maximum age, at
    # most this many of each kind (study rights, persons, organisations) per round.
    registry_refresh_batch: int = Field(default=500, ge=1, le=100_000)

    # Signed credentials (docs/export.md): the directory that holds the private signing keys as
    # files (<key id>.pem, readable by the service only). Empty: they are kept in the database.
    credential_key_dir: str = ""
    # Checks of pasted or uploaded credentials at /tarkista, per address in 10 minutes.
    credential_checks_per_10_minutes: int = Field(default=30, ge=1, le=10_000)
    # Days a revoked credential's row keeps its token, student and plan after the (Helsinki) day
    # it was revoked; then `ehoks maintenance purge` leaves only what its status bit needs.
    # 0: at the next purge. Share links: the same after the day they were withdrawn or ended.
    credential_retention_days: int = Field(default=30, ge=0, le=3650)
    share_link_retention_days: int = Field(default=30, ge=0, le=3650)

    @property
    def dev_idp_enabled(self) -> bool:
        """The development identity provider runs: development mode, and an issuer missing."""
        return self.development_mode and not (self.oidc_staff_issuer and self.oidc_student_issuer)

    def staff_issuer(self) -> str | None:
        """The staff identity provider's issuer; None when staff cannot sign in here."""
        return self.oidc_staff_issuer or self._development_issuer()

    def student_issuer(self) -> str | None:
        """The students' identity provider's issuer; None when students cannot sign in here."""
        return self.oidc_student_issuer or self._development_issuer()

    def _development_issuer(self) -> str | None:
        if not self.development_mode:
            return None
        return f"{self.public_base_url.rstrip('/')}/dev-idp"

    @model_validator(mode="after")
    def _refuse_unsafe_combinations(self) -> Self:
        if self.environment is not None:
            raise ValueError(
                "EHOKS_ENVIRONMENT is no longer read: the service runs for real unless "
                "EHOKS_DEVELOPMENT_MODE=true (docs/operations.md)"
            )
        key = self.token_signing_key
        if key is not None and hashlib.sha256(key.encode()).hexdigest() in PUBLISHED_KEY_DIGESTS:
            raise ValueError(
                "EHOKS_TOKEN_SIGNING_KEY is a key published in the source; set a secret one, or "
                "unset it to have one generated"
            )
        for kind in ("staff", "student"):
            issuer = getattr(self, f"oidc_{kind}_issuer")
            secret = getattr(self, f"oidc_{kind}_client_secret")
            if issuer and secret in DEVELOPMENT_CLIENT_SECRETS:
                raise ValueError(
                    f"EHOKS_OIDC_{kind.upper()}_ISSUER is set: set its client secret "
                    f"EHOKS_OIDC_{kind.upper()}_CLIENT_SECRET too"
                )
        for name in REGISTRIES:
            if getattr(self, f"{name}_mode") == "http" and not getattr(self, f"{name}_url"):
                raise ValueError(
                    f"EHOKS_{name.upper()}_MODE is http: set EHOKS_{name.upper()}_URL to the "
                    "registry's address"
                )
        if not self.development_mode and not self.cookie_secure:
            raise ValueError("cookies must be Secure outside development mode")
        return self


@cache
def get_settings() -> Settings:
    return Settings()
