"""One catalogue of error codes: each code is one class in an ``errors.py``, raised as that class.

The other half, that every error a view answers is documented on its operation, is held while the
whole suite runs (tests/support/error_codes.py, installed by tests/conftest.py).
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
from collections import defaultdict
from pathlib import Path

import api
import app
from app.errors import AppError

ROOT = Path(__file__).resolve().parents[2]


def _import_everything() -> None:
    for package in (app, api):
        for module in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            importlib.import_module(module.name)


def _error_classes() -> list[type[AppError]]:
    _import_everything()
    found, todo = [], [AppError]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return [cls for cls in found if not cls.__module__.startswith("tests.")]


def test_no_two_error_classes_define_the_same_code():
    owners: dict[str, list[str]] = defaultdict(list)
    for cls in _error_classes():
        if "code" in vars(cls):
            owners[cls.code].append(f"{cls.__module__}.{cls.__qualname__}")
    assert {code: names for code, names in owners.items() if len(names) > 1} == {}


def test_every_error_class_lives_in_an_errors_module():
    misplaced = [f"{cls.__module__}.{cls.__qualname__}" for cls in _error_classes()
                 if cls.__module__.rsplit(".", 1)[-1] != "errors"]
    assert misplaced == []


def _calls(path: Path) -> list[tuple[str, ast.Call]]:
    tree = ast.parse(path.read_text(), str(path))
    named = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            named.append((name, node))
    return named


def test_errors_are_raised_as_their_class_never_with_a_code_or_status_override():
    names = {cls.__name__ for cls in _error_classes()}
    offences = []
    for path in sorted([*ROOT.glob("app/**/*.py"), *ROOT.glob("api/**/*.py")]):
        for name, call in _calls(path):
            if name not in names:
                continue
            overridden = [k.arg for k in call.keywords if k.arg in ("code", "status")]
            if name == "AppError" or overridden:
                offences.append(f"{path.relative_to(ROOT)}:{call.lineno} {name}({', '.join(overridden)})")
    assert offences == []

