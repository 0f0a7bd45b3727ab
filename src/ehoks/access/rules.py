"""The one place that decides who may do what: `Access`, built per request for one caller.

The rules (docs/people.md, laki ammatillisesta koulutuksesta 531/2017 109 a §):

* a provider system reaches the HOKS of its own organisation and of every organisation below it;
* a staff member's role on an organisation covers it and everything below it, never above or
  sideways; a writer may read, an administrator may do everything; procured training
  (hankintakoulutus) gives the organisations carrying it out read, nothing else;
* a student reaches their own data only; a guardian signs in as themselves;
* a responsible workplace instructor sees only the periods they are named for, in a window
  around each period.

Single decisions and list scopes come from the same reaches, so a list can never show a row that
a single read of it would refuse.
"""

from __future__ import annotations

from collections.abc import Iterable

from ehoks.access.decision import (
    FORBIDDEN,
    NOT_FOUND,
    Action,
    Decision,
    HoksScope,
    Ownership,
    Period,
    PeriodScope,
    VisibilityWindow,
)
from ehoks.access.directory import OPH_ROOT_OID, Directory, OrganisationSet, Owners, Reach, reach_of
from ehoks.access.subjects import (
    Grant,
    Role,
    StaffSubject,
    StudentSubject,
    Subject,
    SystemClientSubject,
    WorkplaceInstructorSubject,
)

# Roles that include others: a writer may read, an administrator may do everything.
IMPLIED: dict[Role, frozenset[Role]] = {
    Role.READ: frozenset({Role.READ}),
    Role.WRITE: frozenset({Role.WRITE, Role.READ}),
    Role.DELETE: frozenset({Role.DELETE, Role.READ}),
    Role.ADMIN: frozenset({Role.ADMIN, Role.DELETE, Role.WRITE, Role.READ}),
}
STUDENT_ROLE = "student"
INSTRUCTOR_ROLE = "workplace_instructor"


class Access:
    """Every decision about what one caller may do, against the registries' `Directory`."""

    def __init__(self, subject: Subject, directory: Directory) -> None:
        self.subject = subject
        self.directory = directory
        self._reaches: dict[str, Reach] = {}

    # --- HOKS and study rights ---------------------------------------------------------------

    def hoks(self, owner: Ownership, action: Action) -> Decision:
        """May the caller do `action` to the HOKS of `owner`? 404 if they may not even read it."""
        subject = self.subject
        if isinstance(subject, SystemClientSubject):
            return self._client_hoks(subject, owner, action)
        if isinstance(subject, StaffSubject):
            return self._staff_hoks(subject, owner, Role(action.value))
        if isinstance(subject, StudentSubject) and owner.oppija_oid in self._own_persons():
            if action is Action.READ:
                return Decision.allow(STUDENT_ROLE)
            return self._refuse(FORBIDDEN, "forbidden")
        return self._refuse(NOT_FOUND, "hoks_not_found", Role(action.value))

    def study_right(self, owner: Ownership) -> Decision:
        """May the caller read a study right? Exactly when they may read its HOKS."""
        return self.hoks(owner, Action.READ)

    def create_hoks(
        self, study_right_oid: str, owner: Ownership | None, action: Action = Action.WRITE
    ) -> Decision:
        """May the caller create a HOKS for this study right (`action` READ: only check one,
        as a read-only provider system may)?

        A study right that does not exist and one of another provider get the same 403, so that
        nobody learns which study rights exist elsewhere.
        """
        if owner is not None:
            decision = self.hoks(owner, action)
            if decision.allowed:
                return decision
        return self._refuse(
            FORBIDDEN, "study_right_forbidden", Role.WRITE, params={"oid": study_right_oid}
        )

    # --- organisations and people ------------------------------------------------------------

    def organisation(self, organisation_oid: str, role: Role) -> Decision:
        """May a staff member act in `role` on the organisation itself (list its students,
        administer its staff)? An organisation is public knowledge: a refusal is a 403."""
        if not isinstance(self.subject, StaffSubject):
            return self._refuse(FORBIDDEN, "forbidden")
        if any(self._reach(g.organisation_oid).covers(organisation_oid) for g in self._with(role)):
            return Decision.allow(role.value, organisation_oid)
        return Decision.refuse(
            FORBIDDEN,
            "organisation_forbidden",
            role=role.value,
            organisation_oid=organisation_oid,
            params={"oid": organisation_oid, "role": role.value},
        )

    def own_data(self, oppija_oid: str) -> Decision:
        """May a student read the data filed under `oppija_oid`? Their own OID or its master only;
        anyone else, a guardian included, gets 403 (as in the national service)."""
        subject = self.subject
        if isinstance(subject, StudentSubject):
            own = subject.oppija_oid
            if oppija_oid in (own, self.directory.master_oid(own)):
                return Decision.allow(STUDENT_ROLE)
            return self._refuse(FORBIDDEN, "not_own_data")
        return self._refuse(FORBIDDEN, "forbidden")

    @property
    def is_national_admin(self) -> bool:
        """The admin role on the national root organisation (by its OID)."""
        subject = self.subject
        return isinstance(subject, StaffSubject) and any(
            g.role is Role.ADMIN and g.organisation_oid == OPH_ROOT_OID for g in subject.grants
        )

    @property
    def is_national_system(self) -> bool:
        """A provider system of the national root organisation with write access: the
        counterpart of the national service account that runs the palaute backend's routes."""
        subject = self.subject
        return (
            isinstance(subject, SystemClientSubject)
            and subject.organisation_oid == OPH_ROOT_OID
            and subject.can_write
        )

    # --- workplace periods -------------------------------------------------------------------

    def period(self, period: Period, window: VisibilityWindow) -> Decision:
        """May a workplace instructor see this period today? Only the one named for it, and only
        within the window; anything else is not found."""
        subject = self.subject
        if (
            isinstance(subject, WorkplaceInstructorSubject)
            and period.instructor_email == subject.email
            and window.shows(period.alku, period.loppu)
        ):
            return Decision.allow(INSTRUCTOR_ROLE)
        return self._refuse(NOT_FOUND, "not_found")

    # --- lists -------------------------------------------------------------------------------

    def hoks_scope(self, *, procured: bool = True) -> HoksScope:
        """The HOKS the caller may read, as a filter for lists (`procured`: include the HOKS
        readable through procured training, which a staff member opens from the student)."""
        subject = self.subject
        if isinstance(subject, SystemClientSubject):
            return HoksScope(owned_by=OrganisationSet.of([self._reach(subject.organisation_oid)]))
        if isinstance(subject, StaffSubject):
            readers = OrganisationSet.of([self._reach(g.organisation_oid) for g in self._with()])
            return HoksScope(owned_by=readers, procured_by=readers if procured else None)
        if isinstance(subject, StudentSubject):
            return HoksScope(oppija_oids=self._own_persons())
        return HoksScope()

    def period_scope(self, window: VisibilityWindow) -> PeriodScope | None:
        """The periods an instructor may list today (None: the caller lists none)."""
        subject = self.subject
        if not isinstance(subject, WorkplaceInstructorSubject):
            return None
        return PeriodScope(subject.email, window.starts_by, window.ends_from)

    def within(self, organisation_oid: str) -> OrganisationSet:
        """An organisation and everything below it, as a list's narrowing."""
        return OrganisationSet.of([self._reach(organisation_oid)])

    # --- the rules of each kind of caller -------------------------------------------------------

    def _client_hoks(
        self, subject: SystemClientSubject, owner: Ownership, action: Action
    ) -> Decision:
        if not self._reach(subject.organisation_oid).covers_any(owner.owners):
            return self._refuse(NOT_FOUND, "hoks_not_found")
        if action is not Action.READ and not subject.can_write:
            return self._refuse(FORBIDDEN, "forbidden")
        return Decision.allow(subject.access.value, subject.organisation_oid)

    def _staff_hoks(self, subject: StaffSubject, owner: Ownership, role: Role) -> Decision:
        del subject
        granting = self._covering(self._with(role), owner.owners)
        if granting:
            return Decision.allow(role.value, _nearest(granting, owner.owners))
        readers = self._covering(self._with(Role.READ), owner.owners)
        if not readers:
            procured = self.directory.procured_owners(owner.study_right_oid)
            readers = [
                grant
                for grant in self._with(Role.READ)
                if any(self._reach(grant.organisation_oid).covers_any(p) for p in procured)
            ]
        if not readers:
            return self._refuse(NOT_FOUND, "hoks_not_found", role)
        reader = _nearest(readers, owner.owners)
        if role is Role.READ:
            return Decision.allow(role.value, reader)
        return Decision.refuse(
            FORBIDDEN,
            "hoks_role_missing",
            role=role.value,
            organisation_oid=reader,
            params={"role": role.value},
        )

    def _with(self, role: Role = Role.READ) -> list[Grant]:
        """The caller's grants that give `role`."""
        subject = self.subject
        grants = subject.grants if isinstance(subject, StaffSubject) else ()
        return [grant for grant in grants if role in IMPLIED[grant.role]]

    def _covering(self, grants: Iterable[Grant], owners: Owners) -> list[Grant]:
        return [g for g in grants if self._reach(g.organisation_oid).covers_any(owners)]

    def _reach(self, organisation_oid: str) -> Reach:
        found = self._reaches.get(organisation_oid)
        if found is None:
            found = self._reaches[organisation_oid] = reach_of(self.directory, organisation_oid)
        return found

    def _own_persons(self) -> frozenset[str]:
        subject = self.subject
        if not isinstance(subject, StudentSubject):
            return frozenset()
        return self.directory.same_person(subject.oppija_oid)

    def _refuse(
        self,
        status: int,
        code: str,
        needed: Role | None = None,
        *,
        params: dict[str, str] | None = None,
    ) -> Decision:
        """A refusal that no grant explains, in the role the caller acts in by their kind (a
        provider system in its access and for its organisation; staff in the role needed)."""
        subject = self.subject
        role = needed.value if needed is not None else None
        organisation = None
        if isinstance(subject, SystemClientSubject):
            role, organisation = subject.access.value, subject.organisation_oid
        elif isinstance(subject, StudentSubject):
            role = STUDENT_ROLE
        elif isinstance(subject, WorkplaceInstructorSubject):
            role = INSTRUCTOR_ROLE
        return Decision.refuse(
            status, code, role=role, organisation_oid=organisation, params=params
        )


def _nearest(grants: Iterable[Grant], owners: Owners) -> str:
    """The organisation of the grant to name, so that the student sees the nearest one: a grant
    on the study right's oppilaitos, then on its koulutustoimija, then one inherited from above
    or given by procured training (ties by OID, so the choice is stable)."""
    rank = {owners.oppilaitos_oid: 0, owners.koulutustoimija_oid: 1}
    return min((g.organisation_oid for g in grants), key=lambda oid: (rank.get(oid, 2), oid))
