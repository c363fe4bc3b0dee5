"""Real-name identity: WeChat login, accounts and sessions, phone binding, real name (ID number
checked with the population registry) and face verification, assurance levels L0–L3."""
