"""亮证 with an SD-JWT held on the phone, at 375×667: the resident receives the credential, picks two
claims and the page draws the QR without calling the server; the verifier page, offline after it
fetched the JWKS and the status list, reads the QR from a (fake) camera and shows exactly those two
claims; replays, another verifier's challenge and a revoked certificate are refused."""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path

import pytest
from PIL import Image

from tests.browser.conftest import CHROMIUM, SHOTS, Phone
from tests.browser.steps import reach_l3
from tests.support.certificates import full_authority, issue, issue_certificate
from tests.support.residents import new_id_number

RESULTS = Path(__file__).resolve().parents[2] / "artifacts" / "credential-bench.json"


def write_y4m(image: bytes, path: Path, scale: int = 2) -> None:
    """A one-frame Y4M video of the QR on white (Chromium's fake camera loops it)."""
    qr = Image.open(io.BytesIO(image)).convert("L")
    qr = qr.resize((qr.width * scale, qr.height * scale), Image.NEAREST)
    side = max(qr.width, qr.height) + 64
    side += side % 2
    frame = Image.new("L", (side, side), 255)
    frame.paste(qr, ((side - qr.width) // 2, (side - qr.height) // 2))
    chroma = bytes([128]) * ((side // 2) * (side // 2))
    path.write_bytes(f"YUV4MPEG2 W{side} H{side} F10:1 Ip A1:1 C420jpeg\n".encode() + b"FRAME\n"
                     + frame.tobytes() + chroma + chroma)


def make_presentation(page, claims=("name", "age_over_18"), challenge="") -> str:
    for box in page.query_selector_all("input[name=claim]:checked"):
        box.uncheck()
    for claim in claims:
        page.check(f'input[name=claim][value="{claim}"]')
    page.fill("#challenge", challenge)
    previous = page.inner_text("#presentation") if page.query_selector("#presentation") else ""
    page.click("#make")
    page.wait_for_function("p => (document.getElementById('presentation') || {}).textContent"
                           " && document.getElementById('presentation').textContent !== p", arg=previous)
    return page.inner_text("#presentation")


def verify_pasted(v, presentation: str, button: str = "#verify") -> str:
    v.evaluate("document.getElementById('result').innerHTML = ''")
    v.fill("#presentation", presentation)
    v.click(button)
    v.wait_for_selector("#verify-ok, #verify-failed")
    failed = v.query_selector("#verify-failed")
    return failed.get_attribute("data-code") if failed else "ok"


@pytest.fixture
def camera_browser(tmp_path, browser):
    """A second Chromium (same Playwright) whose camera plays a file the test writes before launching it."""
    video = tmp_path / "qr.y4m"

    def launch():
        return browser.browser_type.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}"])

    return video, launch


def test_a_credential_on_the_phone_is_shown_offline_and_checked_by_an_offline_verifier(
        site, phone, client, camera_browser):
    id_number = new_id_number()
    authority = full_authority()
    cert = issue_certificate(client, authority, id_number, holder_name="周晓燕", number="440106ID0001")
    p = phone("holder")
    page = p.page
    reach_l3(p, site["stub"], name="周晓燕", phone="13600002222", id_number=id_number)
    page.goto(f"{site['stub']}/app/#/certs")
    page.wait_for_selector(".cert")
    page.click(".cert a")
    page.wait_for_selector("#make")  # the credential was issued to this page's device key
    p.shot("credential")
    stored = page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('yss-credential-'))")
    assert len(stored) == 1
    extractable = page.evaluate("""new Promise(r => { const o = indexedDB.open('yss-wallet');
        o.onsuccess = () => o.result.transaction('keys').objectStore('keys').get('device').onsuccess =
        e => r(e.target.result.privateKey.extractable); })""")
    assert extractable is False

    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url) if r.url.startswith("http") else None)
    presentation = make_presentation(page)
    page.wait_for_selector("#qr-image")
    assert requests == [], f"showing called the network: {requests}"
    assert "后失效" in page.inner_text("#countdown")
    p.assert_no_horizontal_scroll()
    p.shot("qr")
    image = page.query_selector("#qr-image")
    box = image.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375  # the whole QR on a 375 px screen
    figures = {"qr_bytes": int(image.get_attribute("data-bytes")), "presentation_bytes": len(presentation),
               "modules": int(image.get_attribute("data-modules")),
               "qr_width_px": box["width"], "build_ms": float(image.get_attribute("data-build-ms"))}
    builds = []
    for _ in range(5):
        make_presentation(page)
        builds.append(float(page.get_attribute("#qr-image", "data-build-ms")))
    figures["build_ms_runs"] = builds
    assert figures["qr_bytes"] <= 1200  # two disclosures: ~1,180 bytes of zlib(SD-JWT+KB), a version-25 QR
    presentation = make_presentation(page)  # the one the camera will see
    video, launch = camera_browser
    src = page.get_attribute("#qr-image", "src")  # the very image the page draws (a data: URL)
    write_y4m(base64.b64decode(src.split(",", 1)[1]), video)

    cam = launch()
    try:
        verifier = Phone(cam, "test_credentials-verifier")
        verifier.context.grant_permissions(["camera"], origin=site["stub"])
        v = verifier.page
        v.goto(f"{site['stub']}/verifier/")
        v.wait_for_selector("#freshness[data-fetched-at]")
        verifier.context.set_offline(True)
        verifier.shot("offline-ready")
        v.click("#scan")
        v.wait_for_selector("#verify-ok, #verify-failed", timeout=30000)
        assert v.query_selector("#verify-failed") is None, v.inner_text("#result")
        assert v.get_attribute("#scan", "data-decoder") == "jsQR"
        assert v.input_value("#presentation") == presentation
        assert v.get_attribute("#verify-ok", "data-mode") == "offline"
        shown = {e.get_attribute("data-claim"): e.inner_text() for e in v.query_selector_all(".claim")}
        assert set(shown) == {"name", "age_over_18"}
        assert shown["name"].endswith("周晓燕") and shown["age_over_18"].endswith("是")
        assert "440106ID0001" not in v.content() and id_number not in v.content()
        verifier.shot("scanned")

        # The same counter presentation a second time: refused (accepted once within its validity).
        assert verify_pasted(v, presentation) == "presentation_replayed"
        # A presentation made for this verifier's challenge passes; made for another verifier's, it fails.
        mine = v.inner_text("#challenge")
        assert verify_pasted(v, make_presentation(page, challenge=mine)) == "ok"
        other = "verifier:someone-else " + mine.split()[1]
        assert verify_pasted(v, make_presentation(page, challenge=other)) == "presentation_challenge_mismatch"
        stale_nonce = v.inner_text("#challenge").split()[0] + " not-my-nonce"
        assert verify_pasted(v, make_presentation(page, challenge=stale_nonce)) == "presentation_challenge_mismatch"
        verifier.shot("challenge")

        # Revoked: the offline page still trusts its old list until it refreshes; online refuses at once.
        result = issue(client, authority, "certificate_status",
                       {"type": "resident_id_card", "number": cert["number"], "status": "revoked", "reason": "挂失"})
        assert result["status"] == "accepted"
        assert verify_pasted(v, make_presentation(page)) == "ok"  # stale list: what "updated at" warns of
        verifier.context.set_offline(False)
        verifier.expect_http_error(422)
        assert verify_pasted(v, make_presentation(page), "#verify-online") == "certificate_revoked"
        before = v.get_attribute("#freshness", "data-fetched-at")
        v.click("#refresh")
        v.wait_for_function("b => document.getElementById('freshness').dataset.fetchedAt !== b", arg=before)
        verifier.context.set_offline(True)
        assert verify_pasted(v, make_presentation(page)) == "credential_revoked"
        verifier.shot("revoked-offline")
        errors = verifier.unexpected_errors()
        verifier.close()
    finally:
        cam.close()
    assert not errors, errors
    SHOTS.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2))
    print("credential figures:", json.dumps(figures))
