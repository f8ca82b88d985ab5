"""W3C Bitstring Status List v1.0 encoding: bit order, size rules, malformed lists."""

from __future__ import annotations

import base64
import gzip

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hopeful.credentials import CredentialError
from hopeful.credentials import status_list as sl

# The all-zero 16 KiB list from the specification's examples (section 2.1).
SPEC_EXAMPLE = "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA"


def _multibase(raw: bytes) -> str:
    return "u" + base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def test_it_reads_the_specifications_example() -> None:
    bits = sl.decode(SPEC_EXAMPLE)
    assert bits == bytes(16384)
    assert sl.indices(SPEC_EXAMPLE) == []


def test_an_empty_list_has_the_minimum_size_and_the_multibase_form() -> None:
    encoded = sl.encode([])
    assert encoded.startswith("u")
    assert "=" not in encoded
    assert sl.decode(encoded) == bytes(sl.MIN_SIZE // 8)
    assert sl.MIN_SIZE == 131_072


def test_index_zero_is_the_most_significant_bit_of_the_first_byte() -> None:
    expected = bytearray(sl.MIN_SIZE // 8)
    expected[0] = 0b1000_0001  # indices 0 and 7
    expected[1] = 0b0100_0000  # index 9
    expected[-1] = 0b0000_0001  # the last index
    encoded = sl.encode([0, 7, 9, sl.MIN_SIZE - 1])
    assert sl.decode(encoded) == bytes(expected)
    # And it is plain gzip + base64url of those bytes, as another implementation would read it.
    assert gzip.decompress(base64.urlsafe_b64decode(encoded[1:] + "===")) == bytes(expected)


def test_a_hand_built_list_reads_bit_by_bit() -> None:
    raw = bytearray(sl.MIN_SIZE // 8)
    raw[2] = 0b0010_0000  # index 2 * 8 + 2 = 18
    encoded = _multibase(gzip.compress(bytes(raw)))
    assert sl.is_set(encoded, 18)
    assert not sl.is_set(encoded, 17)
    assert not sl.is_set(encoded, 19)
    assert sl.indices(encoded) == [18]


def test_the_first_and_last_index_round_trip() -> None:
    last = sl.MIN_SIZE - 1
    encoded = sl.encode([0, last])
    assert sl.is_set(encoded, 0)
    assert sl.is_set(encoded, last)
    assert not sl.is_set(encoded, 1)
    assert not sl.is_set(encoded, last - 1)


def test_a_larger_list_keeps_its_size() -> None:
    size = sl.MIN_SIZE * 2
    encoded = sl.encode([size - 1], size=size)
    assert len(sl.decode(encoded)) == size // 8
    assert sl.is_set(encoded, size - 1)


def test_the_same_indices_give_the_same_text() -> None:
    assert sl.encode([3, 5]) == sl.encode([5, 3, 3])


@given(st.sets(st.integers(min_value=0, max_value=sl.MIN_SIZE - 1), max_size=50))
def test_encode_then_decode_gives_back_the_indices(indices: set[int]) -> None:
    encoded = sl.encode(indices)
    assert sl.indices(encoded) == sorted(indices)
    for index in indices:
        assert sl.is_set(encoded, index)


@pytest.mark.parametrize("index", [sl.MIN_SIZE, -1, 10**9])
def test_an_index_out_of_range_is_refused(index: int) -> None:
    with pytest.raises(CredentialError, match="out of range"):
        sl.encode([index])
    with pytest.raises(CredentialError, match="out of range"):
        sl.is_set(sl.encode([]), index)


@pytest.mark.parametrize(
    ("size", "message"),
    [
        (sl.MIN_SIZE - 8, "at least 131,072 bits"),
        (sl.MIN_SIZE + 1, "multiple of 8"),
        (sl.MAX_SIZE + 8, "at most"),
    ],
)
def test_a_bad_size_is_refused(size: int, message: str) -> None:
    with pytest.raises(CredentialError, match=message):
        sl.encode([], size=size)


@pytest.mark.parametrize(
    ("encoded", "message"),
    [
        ("zH4sIAAAAAAAAA", "starting with 'u'"),
        ("", "starting with 'u'"),
        ("u", "not base64url"),
        ("uH4s+IAAA/AAA", "not base64url"),
        (_multibase(b"not gzip at all"), "not gzip"),
        (_multibase(gzip.compress(bytes(16384))[:-12]), "cut short"),
        (_multibase(gzip.compress(b"")), "empty"),
    ],
)
def test_a_malformed_list_is_refused_clearly(encoded: str, message: str) -> None:
    with pytest.raises(CredentialError, match=message):
        sl.decode(encoded)


def test_a_list_that_would_inflate_beyond_the_limit_is_refused() -> None:
    bomb = _multibase(gzip.compress(bytes(sl.MAX_SIZE // 8 + 1)))
    with pytest.raises(CredentialError, match="longer than"):
        sl.decode(bomb)
