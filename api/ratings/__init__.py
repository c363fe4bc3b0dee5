"""好差评 over HTTP: ratings of tickets, services and cases; rectification, appeals and holds."""
