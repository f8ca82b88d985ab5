"""W3C Bitstring Status List v1.0: the list of revoked (or suspended) credentials.

A status list is a long string of bits, one per credential: bit *i* set means credential *i*
is revoked (or suspended, for a suspension list). It is published as ``encodedList``: the
bitstring gzip-compressed, then base64url-encoded without padding, with the multibase prefix
``u``. Bit 0 is the most significant (left-most) bit of the first byte. The list is at least
131,072 bits (16 KiB) long, so that one credential's status does not stand out (herd privacy).

Reference: https://www.w3.org/TR/vc-bitstring-status-list/ (sections 2.1, 3.1 and 3.2).
"""

from __future__ import annotations

import base64
import binascii
import gzip
import zlib
from collections.abc import Iterable

from hopeful.credentials.errors import CredentialError

__all__ = ["MAX_SIZE", "MIN_SIZE", "decode", "encode", "indices", "is_set"]

#: The smallest list the specification allows, in bits (16 KiB).
MIN_SIZE = 131_072
#: The largest list we decode, in bits (16 MiB uncompressed): a guard against a small file
#: that would inflate to gigabytes ("zip bomb"), far above any list we publish.
MAX_SIZE = 8 * 16 * 1024 * 1024


def encode(indices: Iterable[int], size: int = MIN_SIZE) -> str:
    """Return the ``encodedList`` of a list of ``size`` bits with the given indices set.

    ``size`` must be a multiple of 8 and at least :data:`MIN_SIZE`. The output is the same
    for the same input (the gzip header carries no time stamp).
    """
    if isinstance(size, bool) or not isinstance(size, int):
        raise CredentialError(f"the status list size must be a whole number of bits (got {size!r})")
    if size < MIN_SIZE:
        raise CredentialError(f"a status list must have at least {MIN_SIZE:,} bits (got {size:,})")
    if size % 8:
        raise CredentialError(f"a status list size must be a multiple of 8 bits (got {size:,})")
    if size > MAX_SIZE:
        raise CredentialError(f"a status list can have at most {MAX_SIZE:,} bits (got {size:,})")
    bits = bytearray(size // 8)
    for index in indices:
        _check_index(index, size)
        bits[index // 8] |= 0x80 >> (index % 8)
    compressed = gzip.compress(bytes(bits), compresslevel=9, mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).decode("ascii").rstrip("=")


def decode(encoded: str) -> bytes:
    """Return the raw bitstring of an ``encodedList`` (bit 0 = the high bit of byte 0).

    Raises :class:`CredentialError` for anything that is not a gzip-compressed, multibase
    base64url-encoded list.
    """
    if not isinstance(encoded, str) or not encoded.startswith("u"):
        raise CredentialError(
            "the status list is malformed: it must be multibase base64url text starting with 'u'"
        )
    body = encoded[1:].rstrip("=")
    # The decoder would skip stray characters silently; a list with any is not ours.
    if not body or any(ch not in _B64URL for ch in body):
        raise CredentialError("the status list is malformed: it is not base64url text")
    try:
        compressed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError):
        raise CredentialError("the status list is malformed: it is not base64url text") from None
    # wbits 16+MAX: gzip only; max_length stops a bomb before it fills memory.
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        bits = inflater.decompress(compressed, MAX_SIZE // 8 + 1)
    except zlib.error:
        raise CredentialError("the status list is malformed: it is not gzip-compressed") from None
    if len(bits) > MAX_SIZE // 8:
        raise CredentialError(f"the status list is longer than {MAX_SIZE:,} bits")
    if not inflater.eof:
        raise CredentialError("the status list is malformed: the gzip data is cut short")
    if not bits:
        raise CredentialError("the status list is empty")
    return bits


def is_set(encoded: str, index: int) -> bool:
    """Whether bit ``index`` of the ``encodedList`` is set (1 = revoked or suspended)."""
    bits = decode(encoded)
    _check_index(index, len(bits) * 8)
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def indices(encoded: str) -> list[int]:
    """Every index set in the ``encodedList``, in increasing order."""
    bits = decode(encoded)
    return [
        byte_no * 8 + bit
        for byte_no, byte in enumerate(bits)
        if byte
        for bit in range(8)
        if byte & (0x80 >> bit)
    ]


_B64URL = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def _check_index(index: int, size: int) -> None:
    if isinstance(index, bool) or not isinstance(index, int):
        raise CredentialError(f"a status list index must be a whole number (got {index!r})")
    if not 0 <= index < size:
        raise CredentialError(
            f"status list index {index:,} is out of range: the list has {size:,} entries "
            f"(0 to {size - 1:,})"
        )
