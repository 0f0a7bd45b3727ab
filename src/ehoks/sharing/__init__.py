"""Sharing by consent: links a student makes to a part of their plan, for someone without an
account (an employer, another school), which the student can follow and revoke at any time."""
