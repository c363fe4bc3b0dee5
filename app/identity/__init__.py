"""Real-name identity: resident ID numbers and the people behind accounts."""
