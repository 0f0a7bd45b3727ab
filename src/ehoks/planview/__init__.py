"""A stored HOKS turned into labelled sections for pages, in Finnish, Swedish and English.

Every page that shows a plan uses it: `plan_view` builds the sections (labels from `labels`,
code and organisation names, dates per language, each unit's progress, what is coming in the
next 30 days), and `templates/macros/plan.html` shows a section, an entry or a list of them.
`names_for` reads the names a document needs from the registries.
"""
