"""The staff web service (`/ehoks-virkailija-ui/`): organisation choice, students, a student,
reports, deleted plans and administration, as server-rendered pages (the create and edit form
lives in `ehoks.planform`)."""
