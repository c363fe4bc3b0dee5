"""Data intake: issuing authorities' systems push signed, idempotent batches of records.

One mechanism for every record type: an area declares its types in its own ``intake_types``
module (schema + apply function) and lists it in ``app.intake.catalog``.
"""
