"""What an audit record's operation did, as the "who has seen my plan" page names it."""

from __future__ import annotations

import pytest

from ehoks.planhistory.seen import What, what_of


@pytest.mark.parametrize(
    ("operation", "what"),
    [
        ("hoks.read", What.READ),
        ("read-hoks", What.READ),
        ("hoks.create", What.CREATED),
        ("create-hoks", What.CREATED),
        ("hoks.replace", What.CHANGED),
        ("hoks.patch", What.CHANGED),
        ("delete-hoks", What.DELETED),
        ("hoks.export", What.EXPORTED),
        ("list-hoks", What.LISTED),
        ("search-students", What.LISTED),
        ("session.sign_in", What.SIGNED_IN),
        ("read-student", What.READ_DETAILS),
        ("read-study-rights", What.READ_STUDY_RIGHTS),
        ("instructor.periods.read", What.READ_PERIODS),
        ("read-hoks-history", What.READ_HISTORY),
        ("read-access-log", What.READ_LOG),
        ("read-feedback", What.FEEDBACK),
        ("retention.remove-contact-data", What.REMOVED_CONTACTS),
        ("something-new", What.OTHER),
    ],
)
def test_operations_in_words(operation, what):
    assert what_of(operation) is what
