"""Run the emulator: `python -m miniprogram_stub --host 127.0.0.1 --port 8001`.

Apps are pre-registered from EMULATOR_APPS="appid:secret,appid2:secret2"; the pages forward /api
to YSS_API_BASE. With --state-file (or EMULATOR_STATE_FILE) the WeChat users survive a restart.
"""

from __future__ import annotations

import argparse
import os

from miniprogram_stub.app import create_app


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m miniprogram_stub", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--state-file", default=os.environ.get("EMULATOR_STATE_FILE"),
                        help="JSON file keeping the WeChat users across restarts")
    args = parser.parse_args(argv)
    settings = {"api_base": os.environ.get("YSS_API_BASE"), "state_file": args.state_file}
    # threaded: yss fans out concurrent calls, and a push-event calls back into yss.
    create_app(settings).run(host=args.host, port=args.port, threaded=True)


if __name__ == "__main__":
    main()
