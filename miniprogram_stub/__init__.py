"""Stand-ins for outside systems (WeChat, the registries) speaking their real wire formats, and
the mini program's pages. Imports nothing from ``app/`` or ``api/``: sharing code with our
clients would hide exactly the mismatches this exists to catch."""
