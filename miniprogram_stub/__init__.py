"""Emulator of the outside systems yss talks to: the WeChat server APIs and the registries.

It stands for systems we do not own, so it shares no code with `app/`, `api/` or `config/`:
each wire format is implemented here a second time, which is what lets it catch mismatches.
Run it with `python -m miniprogram_stub`; drive it from tests through `/__emulator__/`.
"""
