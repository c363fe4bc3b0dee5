"""yss as an OpenID Provider: the protocol endpoints (``provider``), the resident's consent API
(``consent``) and the admins' client list (``clients``); Authlib's classes are in ``server``."""
