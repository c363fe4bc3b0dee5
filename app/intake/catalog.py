"""Every area's intake record types, imported for their registration."""

import importlib

TYPE_MODULES: tuple[str, ...] = ()

for _module in TYPE_MODULES:
    importlib.import_module(_module)
