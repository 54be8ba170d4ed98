"""How a secret shows in a plan and compares in a diff, without its value.

A plan of stack files sees the stack file's ciphertexts (``{secure: ...}``, already in the repository) as the
secret values; it shows the first 8 hex digits of their SHA-256, so that a diff tells a changed secret from an
unchanged one. Anywhere a value could be plain text, a secret shows as ``[secret]``, as ``pulumi preview`` does.
Pulumi's encryption is randomised: the passphrase secrets provider writes ``v1:NONCE:CIPHERTEXT`` with AES-256-GCM
and a fresh random nonce per value (pulumi/pulumi ``sdk/go/common/resource/config/crypt.go``,
``symmetricCrypter.EncryptValue``), so re-encrypting the same value also changes the fingerprint: a changed
fingerprint means "the value may have changed", an unchanged one "it did not".
"""

from __future__ import annotations

import hashlib
from typing import Any

SECRET = "[secret]"
"""How a secret input or output shows in a plan (never its value)."""
CIPHERTEXT_FINGERPRINT = "[secret, ciphertext {}]"
"""How a secret input whose value is a stack-file ciphertext shows in a plan of stack files."""
_FINGERPRINT_PREFIX = CIPHERTEXT_FINGERPRINT.split("{", 1)[0]


def ciphertext_fingerprint(ciphertext: str) -> str:
    """``[secret, ciphertext 1a2b3c4d]``: the first 8 hex digits of the ciphertext's SHA-256."""
    return CIPHERTEXT_FINGERPRINT.format(hashlib.sha256(ciphertext.encode()).hexdigest()[:8])


def is_secret_shown(value: Any) -> bool:
    """True for how a plan shows a secret: ``[secret]`` or a ciphertext fingerprint."""
    return isinstance(value, str) and (value == SECRET or value.startswith(_FINGERPRINT_PREFIX))


def undecidable_secret_change(before: Any, after: Any) -> bool:
    """True when one side shows ``[secret]`` and the other a fingerprint (a plan made before fingerprints, or
    without the stack file): nothing tells whether the value changed, so the diff does not claim it did."""
    return is_secret_shown(before) and is_secret_shown(after) and SECRET in (before, after) and before != after
