"""yss domain core: models, services, workers and integrations. No HTTP here."""
