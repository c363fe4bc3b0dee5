"""The demo department app the stub serves at /rp/ (`make run`): a public client, PKCE alone, so no
secret needs sharing with the stub. Never in production."""

from __future__ import annotations

import os

from app.oidc.clients import find_client, register_client

DEMO_CLIENT_ID = "yss-demo-jiaojing"


def seed() -> None:
    from config import get_settings

    if get_settings().is_production or find_client(DEMO_CLIENT_ID) is not None:
        return
    stub = f"http://127.0.0.1:{os.environ.get('YSS_STUB_PORT', '8001')}"
    register_client(name="广州交警（示例）", department="广州市公安局交通警察支队", logo_text="交警",
                    redirect_uris=[f"{stub}/rp/callback"], public=True, client_id=DEMO_CLIENT_ID,
                    claims={"name": "核对办理人身份"},
                    optional_claims={"phone_number": "办理进度短信通知",
                                     "driving_licence_valid": "确认可以办理车辆业务"})
