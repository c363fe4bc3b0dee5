"""``python -m miniprogram_stub``: run the stub server (apps from EMULATOR_APPS="appid:secret,...")."""

from __future__ import annotations

import argparse
import os

from werkzeug.serving import run_simple

from miniprogram_stub.app import create_app


def main() -> None:
    parser = argparse.ArgumentParser(description="WeChat + registry emulator and the mini program pages")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    args = parser.parse_args()
    apps = dict(pair.split(":", 1) for pair in os.environ.get("EMULATOR_APPS", "").split(",") if ":" in pair)
    settings = {"apps": apps, "api_base": os.environ.get("YSS_API_BASE"),
                "web_appid": next(iter(apps), "")}
    run_simple(args.host, args.port, create_app(settings), threaded=True)


if __name__ == "__main__":
    main()
