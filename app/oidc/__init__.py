"""yss as an OpenID Provider for department apps: clients, consents, pairwise subjects, claims.

The protocol itself (authorization code + PKCE, tokens, ID tokens, revocation) is Authlib's, wired
in ``api/oidc``; this package holds what yss decides: who a client is and what it may ask for,
what the resident agreed to, which values leave and from which source, and the record of each release.
"""
