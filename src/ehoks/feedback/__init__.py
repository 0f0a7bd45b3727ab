"""Feedback surveys: students' start and end surveys and workplace feedback (ehoks-api.md 5.7)."""
