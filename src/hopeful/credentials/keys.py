"""The issuer's signing keys: a JSON Web Key Set file the deployment keeps secret.

The file holds private Ed25519 keys (JWK, RFC 8037), newest first; the newest signs new
credentials and the older ones stay so that credentials they signed still verify. Each key's
``kid`` is its RFC 7638 thumbprint, so anyone can recompute it from the public key and compare
it with the one a checker prints. The file is created on first use with mode 0600 and is
refused when other users can read or write it (as ``ssh`` refuses a private key).
"""

from __future__ import annotations

import json
import os
import stat
import tempfile
from pathlib import Path
from typing import Any, Literal

from joserfc import jwk

from hopeful.credentials.errors import CredentialError

__all__ = ["ALGORITHM", "KeyStore", "load_key", "public_jwk", "thumbprint"]

#: The one JWS algorithm HOPEful signs with and accepts: EdDSA over Ed25519 (RFC 8037).
ALGORITHM = "EdDSA"
_CURVE: Literal["Ed25519"] = "Ed25519"
#: The public members of an Ed25519 JWK plus the descriptive ones we publish.
_PUBLIC_MEMBERS = ("kty", "crv", "x", "kid", "alg", "use")


def thumbprint(key: dict[str, Any]) -> str:
    """The RFC 7638 thumbprint (SHA-256, base64url) of an Ed25519 JWK: its canonical ``kid``."""
    return load_key(key).thumbprint()


def public_jwk(key: dict[str, Any]) -> dict[str, str]:
    """The public part of a JWK (never ``d``), with ``kid`` set to its thumbprint if absent."""
    public = {name: str(key[name]) for name in _PUBLIC_MEMBERS if name in key}
    public.setdefault("kid", thumbprint(key))
    return public


def load_key(key: dict[str, Any]) -> jwk.OKPKey:
    """An Ed25519 JWK as a joserfc key (private if it has ``d``); CredentialError if not one."""
    if not isinstance(key, dict) or key.get("kty") != "OKP" or key.get("crv") != _CURVE:
        raise CredentialError("a key in the key set is not an Ed25519 key (kty OKP, crv Ed25519)")
    members = {name: value for name, value in key.items() if name in ("kty", "crv", "x", "d")}
    kid = key.get("kid")
    try:
        return jwk.OKPKey.import_key(members, {"kid": kid} if isinstance(kid, str) else None)
    except Exception as exc:  # joserfc raises several error types for a bad key
        raise CredentialError(f"a key in the key set is malformed ({exc})") from None


def _new_key() -> dict[str, str]:
    key = jwk.OKPKey.generate_key(_CURVE, private=True)
    private = {name: str(value) for name, value in key.as_dict(private=True).items()}
    return {**private, "kid": key.thumbprint(), "alg": ALGORITHM, "use": "sig"}


class KeyStore:
    """The signing keys in one file (a private JWK set, newest key first).

    ``KeyStore(path).signing_key()`` creates the file with one new key the first time. Two
    processes starting at once cannot both create it: the file appears complete and only
    once (a hard link of a finished temporary file), and the loser reads the winner's key.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    # -- reading -------------------------------------------------------------------------

    def private_keys(self) -> list[dict[str, str]]:
        """Every private JWK in the file, newest first, creating the file if needed."""
        if not self.path.exists():
            try:
                self._create([_new_key()])
            except OSError as exc:
                raise CredentialError(
                    f"cannot create the key file {self.path}: {exc.strerror}"
                ) from None
        return self._read()

    def signing_key(self) -> jwk.OKPKey:
        """The newest key: the one that signs new credentials (its ``kid`` is set)."""
        newest = self.private_keys()[0]
        return load_key(newest)  # its kid is the one recorded in the file

    def signing_kid(self) -> str:
        """The ``kid`` (RFC 7638 thumbprint) of the signing key."""
        return self.private_keys()[0]["kid"]

    def public_jwks(self) -> dict[str, Any]:
        """The public key set to publish (``/.well-known/jwks.json``): no private parts."""
        return {"keys": [public_jwk(key) for key in self.private_keys()]}

    # -- writing -------------------------------------------------------------------------

    def rotate(self) -> str:
        """Add a new signing key and return its ``kid``; older keys stay for verification."""
        keys = [_new_key(), *self.private_keys()]
        try:
            self._replace(keys)
        except OSError as exc:
            raise CredentialError(
                f"cannot write the key file {self.path}: {exc.strerror}"
            ) from None
        return keys[0]["kid"]

    # -- the file ------------------------------------------------------------------------

    def _read(self) -> list[dict[str, str]]:
        try:
            mode = self.path.stat().st_mode
            if os.name == "posix" and mode & 0o077:
                raise CredentialError(
                    f"the key file {self.path} can be read or written by other users "
                    f"(mode {stat.S_IMODE(mode):04o}); run: chmod 600 {self.path}"
                )
            text = self.path.read_text(encoding="utf-8")
        except OSError as exc:
            raise CredentialError(f"cannot read the key file {self.path}: {exc.strerror}") from None
        try:
            data = json.loads(text)
        except ValueError:
            raise CredentialError(f"the key file {self.path} is not JSON") from None
        keys = data.get("keys") if isinstance(data, dict) else None
        if not isinstance(keys, list) or not keys:
            raise CredentialError(
                f'the key file {self.path} holds no keys (expected {{"keys": [...]}})'
            )
        checked: list[dict[str, str]] = []
        for key in keys:
            parsed = load_key(key)
            if not parsed.is_private:
                raise CredentialError(
                    f"the key file {self.path} holds a key without its private part"
                )
            kid = key.get("kid") or parsed.thumbprint()
            checked.append({**{k: str(v) for k, v in key.items()}, "kid": str(kid)})
        return checked

    def _serialized(self, keys: list[dict[str, str]]) -> bytes:
        return (json.dumps({"keys": keys}, indent=2) + "\n").encode("utf-8")

    def _temporary(self, keys: list[dict[str, str]]) -> Path:
        """A complete, synced copy of the new file beside it, mode 0600 from the start."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
        try:
            os.fchmod(fd, 0o600)
            os.write(fd, self._serialized(keys))
            os.fsync(fd)
        except BaseException:
            os.close(fd)
            Path(name).unlink(missing_ok=True)
            raise
        os.close(fd)
        return Path(name)

    def _create(self, keys: list[dict[str, str]]) -> None:
        temporary = self._temporary(keys)
        try:
            os.link(temporary, self.path)  # fails if another process created it first
        except FileExistsError:
            pass
        finally:
            temporary.unlink(missing_ok=True)

    def _replace(self, keys: list[dict[str, str]]) -> None:
        temporary = self._temporary(keys)
        try:
            temporary.replace(self.path)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
