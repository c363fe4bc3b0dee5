"""Development keys, generated once under ``instance/`` and reused across runs.

Every generated value starts with ``DEV_MARK`` so production can recognise and refuse it.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from pathlib import Path

DEV_MARK = "dev"
FILE_NAME = "dev-keys.json"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def generate() -> dict[str, str]:
    # EncodingAESKey is 43 characters of standard base64 (WeChat's format); it is marked by its
    # prefix too, which is still valid base64.
    aes = (DEV_MARK + base64.b64encode(secrets.token_bytes(32)).decode())[:43]
    return {
        "signing_keys": f"{DEV_MARK}1:{_b64(secrets.token_bytes(32))}",
        "field_encryption_keys": f"{DEV_MARK}1:{_b64(secrets.token_bytes(32))}",
        "blind_index_key": DEV_MARK + _b64(secrets.token_bytes(32)),
        "wechat_secret": DEV_MARK + secrets.token_hex(14),
        "wechat_message_token": DEV_MARK + secrets.token_hex(8),
        "wechat_encoding_aes_key": aes,
        "oidc_signing_keys": f"{DEV_MARK}oidc1:{_b64(_rsa_private_der())}",
        "audit_chain_key": DEV_MARK + _b64(secrets.token_bytes(32)),
    }


def _rsa_private_der() -> bytes:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


KEY_NAMES = ("signing_keys", "field_encryption_keys", "blind_index_key", "wechat_secret", "wechat_message_token",
             "wechat_encoding_aes_key", "oidc_signing_keys", "audit_chain_key")


def is_development_value(value: str) -> bool:
    return value.startswith(DEV_MARK)


def load_or_create(instance_path: Path) -> dict[str, str]:
    instance_path.mkdir(parents=True, exist_ok=True)
    path = instance_path / FILE_NAME
    if path.exists():
        keys = json.loads(path.read_text())
        if set(KEY_NAMES) <= keys.keys():
            return keys
        missing = {name: value for name, value in generate().items() if name not in keys}
        # A file from before a key was added: add only the missing ones, keeping the others.
        tmp = instance_path / f".{FILE_NAME}.{os.getpid()}"
        tmp.write_text(json.dumps({**keys, **missing}, indent=2))
        tmp.chmod(0o600)
        os.replace(tmp, path)
        return json.loads(path.read_text())
    keys = generate()
    # Write aside, then link into place: when several processes start at once, exactly one
    # link wins and the others read the complete file it names.
    tmp = instance_path / f".{FILE_NAME}.{os.getpid()}"
    tmp.write_text(json.dumps(keys, indent=2))
    tmp.chmod(0o600)
    try:
        os.link(tmp, path)
    except FileExistsError:
        keys = json.loads(path.read_text())
    finally:
        tmp.unlink()
    return keys
