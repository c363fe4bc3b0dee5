"""Clients of outside systems (WeChat, the registries), on ``requests`` with timeouts and typed
errors. In development and tests they talk to the emulator in ``miniprogram_stub/``."""
