"""Where a signed-in person's own pages start, by the kind of their session (the values of
`access.subjects.SubjectKind` for people; a system has no pages). Pages that speak to someone
signed in elsewhere (an error page, the guardians' page) send them on from here."""

from __future__ import annotations

from typing import Final

START_PAGES: Final[dict[str, str]] = {
    "student": "/ehoks/suunnittelu",
    "staff": "/ehoks-virkailija-ui",
    "workplace_instructor": "/tyopaikkaohjaaja/jaksot",
}
