"""Tickets: residents and companies open them, staff work their departments' queues under an SLA in
working days (``app.workdays``), requesters are told of each step (``notices``)."""
