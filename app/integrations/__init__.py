"""Clients of outside systems (WeChat, the registries), on a urllib3 connection pool with timeouts and
typed errors. In development and tests they talk to the emulator in ``miniprogram_stub/``."""
