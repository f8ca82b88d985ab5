"""Streaming authenticated encryption of a backup archive: AES-256-GCM in chunks, the key
derived from a passphrase with scrypt.

The file is a header, then chunks. Each chunk is at most ``chunk_size`` bytes of the archive,
encrypted and authenticated on its own (16-byte tag), with a nonce made of a random prefix,
the chunk's number and a flag set only on the last chunk (the STREAM construction). The whole
header is the associated data of every chunk. So a changed byte, a removed, repeated or
reordered chunk, a file cut short or one with data appended each fail authentication, and a
reader that reaches the end has read exactly what was written.

Header (big-endian)::

    magic "HOPEFULE" | version 1 | log2 N | r | p | chunk size (4) | salt (16)
    | nonce prefix (7) | passphrase check (16)

scrypt derives 64 bytes: the first 32 are the AES key, the next 16 are stored as the
passphrase check, so a wrong passphrase is told apart from a damaged file.
"""

from __future__ import annotations

import hmac
import os
import struct
import unicodedata
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

MAGIC = b"HOPEFULE"
VERSION = 1
_HEADER = struct.Struct(">8sBBBBI16s7s16s")
HEADER_SIZE = _HEADER.size
TAG_SIZE = 16
#: scrypt cost: N = 2**17, r = 8, p = 1 (128 MiB, about half a second), as OWASP advises.
DEFAULT_LOG2_N = 17
DEFAULT_CHUNK_SIZE = 1 << 20
#: The smallest passphrase ``--encrypt`` accepts.
MIN_PASSPHRASE_LENGTH = 12


class CryptoError(Exception):
    """The encrypted file cannot be read: wrong passphrase, damaged, cut short or altered."""


def is_encrypted(head: bytes) -> bool:
    return head.startswith(MAGIC)


def _derive(passphrase: str, salt: bytes, log2_n: int, r: int, p: int) -> tuple[bytes, bytes]:
    secret = unicodedata.normalize("NFC", passphrase).encode("utf-8")
    out = Scrypt(salt=salt, length=64, n=2**log2_n, r=r, p=p).derive(secret)
    return out[:32], out[32:48]


def _nonce(prefix: bytes, counter: int, last: bool) -> bytes:
    if counter >= 2**32:
        raise CryptoError("the archive is too large to encrypt in one file")
    return prefix + struct.pack(">IB", counter, 1 if last else 0)


class EncryptingWriter:
    """A write-only file object: what is written to it goes encrypted to ``raw``.
    :meth:`close` writes the last chunk (it does not close ``raw``)."""

    def __init__(
        self,
        raw: BinaryIO,
        passphrase: str,
        *,
        log2_n: int = DEFAULT_LOG2_N,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
    ) -> None:
        salt, self._prefix = os.urandom(16), os.urandom(7)
        key, check = _derive(passphrase, salt, log2_n, 8, 1)
        self._header = _HEADER.pack(
            MAGIC, VERSION, log2_n, 8, 1, chunk_size, salt, self._prefix, check
        )
        self._aead = AESGCM(key)
        self._raw = raw
        self._chunk = chunk_size
        self._buffer = bytearray()
        self._counter = 0
        self._closed = False
        raw.write(self._header)

    def write(self, data: bytes) -> int:
        if self._closed:
            raise ValueError("write to a closed EncryptingWriter")
        self._buffer += data
        # A full chunk is written only once more data follows: the last chunk is flagged.
        while len(self._buffer) > self._chunk:
            self._emit(bytes(self._buffer[: self._chunk]), last=False)
            del self._buffer[: self._chunk]
        return len(data)

    def _emit(self, plain: bytes, *, last: bool) -> None:
        nonce = _nonce(self._prefix, self._counter, last)
        self._raw.write(self._aead.encrypt(nonce, plain, self._header))
        self._counter += 1

    def close(self) -> None:
        if not self._closed:
            self._emit(bytes(self._buffer), last=True)
            self._buffer.clear()
            self._closed = True


def _read_exactly(raw: BinaryIO, size: int) -> bytes:
    parts: list[bytes] = []
    remaining = size
    while remaining:
        part = raw.read(remaining)
        if not part:
            break
        parts.append(part)
        remaining -= len(part)
    return b"".join(parts)


class DecryptingReader:
    """A read-only file object over an encrypted archive: reading returns the plaintext, each
    chunk only after its tag is checked. Raises :class:`CryptoError` for a wrong passphrase
    or a damaged, truncated or altered file."""

    def __init__(self, raw: BinaryIO, passphrase: str) -> None:
        header = _read_exactly(raw, HEADER_SIZE)
        if len(header) < HEADER_SIZE or not is_encrypted(header):
            raise CryptoError("this is not an encrypted HOPEful backup (or its start is missing)")
        _, version, log2_n, r, p, chunk_size, salt, prefix, check = _HEADER.unpack(header)
        if version != VERSION:
            raise CryptoError(f"unknown encryption format version {version}: use a newer HOPEful")
        # Bounds against a forged header asking for unbounded memory or time.
        if not (10 <= log2_n <= 22 and 1 <= r <= 32 and 1 <= p <= 16):
            raise CryptoError("the encrypted backup's header is damaged (key parameters)")
        if not 1024 <= chunk_size <= 64 << 20:
            raise CryptoError("the encrypted backup's header is damaged (chunk size)")
        key, expected = _derive(passphrase, salt, log2_n, r, p)
        if not hmac.compare_digest(check, expected):
            raise CryptoError("wrong passphrase for this encrypted backup")
        self._aead = AESGCM(key)
        self._header = header
        self._prefix = prefix
        self._raw = raw
        self._size = chunk_size + TAG_SIZE
        self._next = _read_exactly(raw, self._size)
        self._counter = 0
        self._buffer = bytearray()
        self._done = False

    def _advance(self) -> None:
        current = self._next
        if len(current) < TAG_SIZE:
            raise CryptoError("the encrypted backup is cut short (it ends before its last part)")
        self._next = _read_exactly(self._raw, self._size) if len(current) == self._size else b""
        last = not self._next
        try:
            plain = self._aead.decrypt(
                _nonce(self._prefix, self._counter, last), current, self._header
            )
        except InvalidTag:
            raise CryptoError(
                "the encrypted backup is damaged, cut short or was altered "
                f"(part {self._counter + 1} fails its authentication check)"
            ) from None
        self._counter += 1
        self._buffer += plain
        self._done = last

    def read(self, size: int = -1) -> bytes:
        while not self._done and (size < 0 or len(self._buffer) < size):
            self._advance()
        if size < 0:
            size = len(self._buffer)
        out = bytes(self._buffer[:size])
        del self._buffer[:size]
        return out

    def finish(self) -> None:
        """Read to the end, so a file cut short or altered after what was read is refused."""
        while not self._done:
            self._advance()
        self._buffer.clear()
