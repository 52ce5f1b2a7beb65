"""Sign in with any OpenID Connect provider: the authorization code flow (PKCE, state and
nonce), the ID token checked against the provider's keys, and the same token pair as a
password login."""
