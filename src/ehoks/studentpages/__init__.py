"""The front page, the accessibility statement, and the student's own pages under `/ehoks/`.

A student signs in with OpenID Connect and reads their plans; the same access decisions as the
student API decide what they reach (`people.student_service`, `hoks.service.get_hoks`).
"""
