"""Signing keys: derived from MOSAIC_SECRET_KEY for HMAC, or configured PEM keys with kids."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from joserfc.jwk import ECKey, Key, KeySet, OctKey, OKPKey, RSAKey

from modules.auth.config import AuthSettings

_HMAC_KID = "hs-1"
_KEY_CLASSES: dict[str, type[RSAKey] | type[ECKey] | type[OKPKey]] = {
    "RS": RSAKey,
    "PS": RSAKey,
    "ES": ECKey,
    "Ed": OKPKey,
}
_LABEL = b"mosaic/auth/access-token-signing/v1"


class SigningKeys:
    """The key that signs new tokens and the set that verifies them (key rotation: the first
    configured key signs; the others still verify tokens issued before the rotation)."""

    def __init__(self, settings: AuthSettings, secret_key: str) -> None:
        self.algorithm = settings.algorithm
        if settings.asymmetric:
            key_class = _KEY_CLASSES[settings.algorithm[:2]]
            keys: list[Key] = [
                key_class.import_key(entry.pem(), {"kid": entry.kid, "alg": settings.algorithm})
                for entry in settings.signing_keys
            ]
        else:
            # A key of its own, derived from the secret, so the raw secret signs nothing.
            derived = hmac.new(secret_key.encode(), _LABEL, hashlib.sha256).digest()
            keys = [OctKey.import_key(derived, {"kid": _HMAC_KID, "alg": settings.algorithm})]
        self.signing = keys[0]
        self.verifying = KeySet(keys)
        self._public = settings.asymmetric

    @property
    def kid(self) -> str:
        """The ``kid`` written into new tokens."""
        return str(self.signing.kid)

    def jwks(self) -> dict[str, Any]:
        """The public keys as a JSON Web Key Set (empty for HMAC: nothing may be published)."""
        if not self._public:
            return {"keys": []}
        return {"keys": [dict(key.as_dict(private=False)) for key in self.verifying]}
