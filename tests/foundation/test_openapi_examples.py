"""The OpenAPI document says what the API really does: its examples are valid values, and
``X-Pagination`` is documented as the JSON string header it is."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from app import clock
from app.entities.uscc import validate_uscc
from app.identity.id_number import parse_id_number
from tests.support.residents import create_resident


def _keyed_strings(node: Any, key: str = "") -> Iterator[tuple[str, str]]:
    """Every (key, string) in the document: property examples, request and response examples."""
    if isinstance(node, dict):
        if "example" in node and isinstance(node["example"], str):
            yield key, node["example"]
        for name, value in node.items():
            yield from _keyed_strings(value, name if name not in ("example", "value", "examples") else key)
    elif isinstance(node, list):
        for item in node:
            yield from _keyed_strings(item, key)
    elif isinstance(node, str):
        yield key, node


def test_every_uscc_and_id_number_example_passes_its_check(client):
    spec = client.get("/api/openapi.json").json
    usccs, id_numbers = set(), set()
    for key, value in _keyed_strings(spec):
        if "uscc" in key.lower() and re.fullmatch(r"[0-9A-Z]{18}", value):
            usccs.add(value)
        # An ID card's number is an ID number too.
        if ("id_number" in key.lower() or key == "number") and re.fullmatch(r"\d{17}[\dX]", value):
            id_numbers.add(value)
    assert usccs and id_numbers  # the walk found the examples
    for uscc in usccs:
        validate_uscc(uscc)
    for number in id_numbers:
        parse_id_number(number, today=clock.today())


def test_x_pagination_is_documented_as_the_json_string_it_is(client):
    spec = client.get("/api/openapi.json").json
    documented = [op["responses"]["200"]["headers"]["X-Pagination"] for item in spec["paths"].values()
                  for method, op in item.items() if method in ("get", "post")
                  and "X-Pagination" in op.get("responses", {}).get("200", {}).get("headers", {})]
    assert len(documented) >= 5
    assert all(header["schema"]["type"] == "string" for header in documented)
    example = json.loads(documented[0]["schema"]["example"])
    resident = create_resident()
    sent = client.get("/api/v1/me/notifications", headers=resident.headers).headers["X-Pagination"]
    assert set(json.loads(sent)) <= set(example)
