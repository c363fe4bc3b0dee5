"""Tickets and their working-day deadlines."""
