"""Every area's intake record types, imported for their registration."""

import importlib

TYPE_MODULES: tuple[str, ...] = (
    "app.people.intake_types", "app.certificates.intake_types", "app.entities.intake_types",
    "app.licences.intake_types",
)

for _module in TYPE_MODULES:
    importlib.import_module(_module)
