"""The auth module: OAuth2 password login, rotating JWTs, sessions and login throttling.

Other modules never import it: they protect routes with ``core.auth.require``.
"""
