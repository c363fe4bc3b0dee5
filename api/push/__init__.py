"""Push over HTTP, one module per resource: inbox, preferences, consent, WeChat messages, operations."""
