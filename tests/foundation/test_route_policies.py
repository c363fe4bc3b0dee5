"""Auth is visible in one place: every /api/v1 view declares who may call it."""


def test_every_api_route_declares_an_auth_policy(app):
    missing = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        view = app.view_functions[rule.endpoint]
        view_class = getattr(view, "view_class", None)
        methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
        for method in methods:
            handler = getattr(view_class, method.lower(), None) if view_class else view
            if getattr(handler, "auth_policy", None) is None:
                missing.append(f"{method} {rule.rule}")
    assert not missing, f"routes without an auth policy: {missing}"
