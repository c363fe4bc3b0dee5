"""The mini program stub's pages: the resident app, the staff console, the verifier page and the public
figures page (figures/: service quality drawn from the open data).

Plain HTML/JS/CSS served by the stub server. Same-origin calls to ``/api/*`` are forwarded to the
yss API (``YSS_API_BASE``), so the pages need no CORS; ``/__emulator__/*`` is the emulator itself,
standing in for wx.login, the phone button, subscribe consent and face verification.
"""

from __future__ import annotations

from pathlib import Path

import requests
from flask import Blueprint, Response, current_app, jsonify, redirect, request, send_from_directory

STATIC = Path(__file__).resolve().parent / "static"
# The two npm packages the pages load (scripts/install-js.sh installs them from package-lock.json).
NODE_MODULES = Path(__file__).resolve().parent / "node_modules"
VENDOR = {"qrcode.mjs": NODE_MODULES / "qrcode-generator" / "dist" / "qrcode.mjs",
          "jsQR.js": NODE_MODULES / "jsqr" / "dist" / "jsQR.js"}
_HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-encoding", "content-length"}


def web_blueprint() -> Blueprint:
    """Reads ``YSS_API_BASE`` and ``WEB_APPID`` from the app's config at request time."""
    blp = Blueprint("web", __name__)
    http = requests.Session()

    @blp.get("/shared/config.json")
    def config() -> Response:
        return jsonify(appid=current_app.config.get("WEB_APPID", ""))

    @blp.get("/")
    def root() -> Response:
        return redirect("/app/")

    @blp.get("/<any(app, console, verifier, figures):page>/")
    def page(page: str) -> Response:
        return send_from_directory(STATIC / page, "index.html")

    @blp.get("/<any(app, console, verifier, figures, shared):page>/<path:filename>")
    def asset(page: str, filename: str) -> Response:
        return send_from_directory(STATIC / page, filename)

    @blp.get("/vendor/<any(qrcode.mjs, jsQR.js):name>")
    def vendor(name: str) -> Response:
        path = VENDOR[name]
        if not path.exists():
            return Response("// run scripts/install-js.sh", status=503, mimetype="text/javascript")
        return send_from_directory(path.parent, path.name, mimetype="text/javascript")

    @blp.route("/api/<path:path>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
    def forward(path: str) -> Response:
        headers = {k: v for k, v in request.headers if k.lower() in {"authorization", "content-type",
                                                                     "x-request-id", "accept", "x-acting-for"}}
        api_base = current_app.config.get("YSS_API_BASE")
        if not api_base:
            return Response('{"code":"not_configured","message":"YSS_API_BASE is not set"}', status=503,
                            mimetype="application/json")
        upstream = http.request(request.method, f"{api_base.rstrip('/')}/api/{path}",
                                params=request.args, data=request.get_data(), headers=headers, timeout=30)
        out = Response(upstream.content, status=upstream.status_code)
        for key, value in upstream.headers.items():
            if key.lower() not in _HOP_BY_HOP:
                out.headers[key] = value
        return out

    return blp
