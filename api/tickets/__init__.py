"""Tickets over HTTP: the requester's and the staff's views of a ticket and its thread."""
