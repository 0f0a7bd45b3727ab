"""The development identity provider: real OpenID Connect, with demo persons to pick from.

It exists so that the same sign-in code runs in development and in production. It is served only
when `Settings.dev_idp_enabled` (never in production, which also refuses to start without real
identity providers).
"""
