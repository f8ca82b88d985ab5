"""Verifiable credentials for HOPEful certifications, in pure Python (no Django).

A certification (HOPE Facilitator, HOPE Champion, HOPE-informed organization) is issued as an
Open Badges 3.0 credential, a W3C Verifiable Credential (Data Model 2.0) signed as a VC-JWT
with an Ed25519 key the deployment keeps in a key file. Revocation and suspension are bits in
W3C Bitstring Status Lists, themselves signed VC-JWTs. Anyone can check a credential with the
issuer's public keys: the web site does it for ``/verify/<code>/`` and ``hopeful verify FILE``
does it offline from a downloaded bundle.

Modules:

- :mod:`~hopeful.credentials.keys`: :class:`KeyStore`, the signing keys (create, rotate, publish);
- :mod:`~hopeful.credentials.ob3`: the credential and status list documents;
- :mod:`~hopeful.credentials.status_list`: the bit lists' encoding;
- :mod:`~hopeful.credentials.jwt`: signing and signature checks;
- :mod:`~hopeful.credentials.verify`: :func:`check`, the whole verdict;
- :mod:`~hopeful.credentials.bundle`: the downloadable credential file.

Nothing here imports Django or touches the network (an import-linter contract keeps it so).
"""

from __future__ import annotations

from hopeful.credentials import bundle, jwt, keys, ob3, status_list, verify
from hopeful.credentials.bundle import Bundle
from hopeful.credentials.errors import CredentialError
from hopeful.credentials.keys import KeyStore
from hopeful.credentials.ob3 import Achievement, Issuer, StatusEntry
from hopeful.credentials.verify import Verdict, check

__all__ = [
    "Achievement",
    "Bundle",
    "CredentialError",
    "Issuer",
    "KeyStore",
    "StatusEntry",
    "Verdict",
    "bundle",
    "check",
    "jwt",
    "keys",
    "ob3",
    "status_list",
    "verify",
]
