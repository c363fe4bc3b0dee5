"""Every endpoint appears in the OpenAPI document with its schemas and an example."""

METHODS = ("get", "post", "put", "patch", "delete")


def test_every_operation_has_a_summary_schemas_and_examples(client):
    spec = client.get("/api/openapi.json").json
    problems = []
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            if method not in METHODS:
                continue
            name = f"{method.upper()} {path}"
            if not op.get("summary"):
                problems.append(f"{name}: no summary")
            body = op.get("requestBody", {}).get("content", {}).get("application/json")
            if body is not None and not ({"schema", "example"} <= body.keys() or "examples" in body):
                problems.append(f"{name}: request body without schema and example")
            for status, response in op["responses"].items():
                if not status.startswith("2") or status == "204":
                    continue
                content = response.get("content", {}).get("application/json") or next(
                    iter(response.get("content", {}).values()), None)
                if content is None or "schema" not in content or not ("example" in content or "examples" in content):
                    problems.append(f"{name} {status}: response without schema and example")
    assert not problems, "\n".join(problems)
