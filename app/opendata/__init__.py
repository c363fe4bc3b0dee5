"""Open government: datasets built from yss's records under a negative list, and service-quality figures."""
