"""axe-core over the pages that are not the resident app: the staff console (its login and every tab
the signed-in supervisor sees), the verifier page and the public figures page, at 375×667. None may
show a serious or critical violation; the findings are written to artifacts/axe-other-pages.json."""

from __future__ import annotations

import json

from tests.browser.conftest import SHOTS
from tests.browser.steps import COUNT_FETCHES, axe_violations, staff_login
from tests.support.staff import create_staff_member, load_demo_catalogue

SETTLED = "() => window.__inflight === 0 && document.readyState === 'complete'"


def test_console_verifier_and_figures_pages_have_no_serious_accessibility_violations(site, phone):
    load_demo_catalogue()
    supervisor = create_staff_member(role="supervisor", display_name="公安厅值班主管", log_in=False)
    found: dict[str, list[dict]] = {}

    p = phone("pages")
    page = p.page
    page.add_init_script(COUNT_FETCHES)
    for path in ("/verifier/", "/figures/", "/console/"):
        page.goto(f"{site['stub']}{path}")
        page.wait_for_function(SETTLED)
        found[path] = axe_violations(page)

    staff_login(p, site["stub"], supervisor)
    tabs = page.eval_on_selector_all("nav.tabs a:not([hidden])", "els => els.map((a) => a.getAttribute('href'))")
    assert len(tabs) >= 4
    for tab in tabs:
        page.goto(f"{site['stub']}/console/{tab}")
        page.wait_for_function("() => document.getElementById('view').children.length > 0")
        page.wait_for_function(SETTLED)
        found[f"/console/{tab}"] = axe_violations(page)

    SHOTS.parent.mkdir(parents=True, exist_ok=True)
    (SHOTS.parent / "axe-other-pages.json").write_text(json.dumps(found, ensure_ascii=False, indent=1))
    problems = {where: v for where, v in found.items() if v}
    assert not problems, json.dumps(problems, ensure_ascii=False, indent=1)
