"""People: the person behind each verified resident, household links, addresses, life events."""
