"""The national HOKS data model: one declarative table and a fast validator built from it.

`validate_hoks` checks a request body field by field for the given method (POST, PUT, PATCH)
and applies the national cross-field rules, listing every violation with a JSON Pointer.
`stored_form` gives a canonical document its GET shape. `json_schema` publishes the same model
for OpenAPI.

Deliberate differences from the national service, which has defects we do not copy:

* A GET response can be sent back unchanged as a PUT: `eid`, `manuaalisyotto` (PUT, PATCH) and
  every nested `module-id` (PUT) are accepted instead of rejected.
* Overlong values for the national database's VARCHAR(256) columns are reported as violations
  (the national service fails with a 500).
* Strings the database cannot store (NUL, lone surrogates) are reported, not stored.
* AHATO keeps `vaatimuksista-tai-tavoitteista-poikkeaminen`.
"""

from ehoks.hoksmodel.schema import json_schema, json_schema_get
from ehoks.hoksmodel.shape import MODULE_ID, iter_module_records, stored_form
from ehoks.hoksmodel.spec import PART_LISTS
from ehoks.hoksmodel.types import Method, StudyRightFacts, ValidationResult, Variant
from ehoks.hoksmodel.validator import validate_hoks

__all__ = [
    "MODULE_ID",
    "PART_LISTS",
    "Method",
    "StudyRightFacts",
    "ValidationResult",
    "Variant",
    "iter_module_records",
    "json_schema",
    "json_schema_get",
    "stored_form",
    "validate_hoks",
]
