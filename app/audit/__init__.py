"""The append-only, hash-chained audit log; also the data tracker residents read."""
