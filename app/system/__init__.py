"""Process health: readiness checks and the worker heartbeat."""
