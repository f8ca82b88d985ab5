"""Reading a JSON request body within bounds, before the parser builds anything.

``json.loads`` on a body nested thousands of levels deep raises ``RecursionError`` (a 500),
and a small body can still hold tens of thousands of tiny values. :func:`loads_bounded` first
walks the text once, without recursion, and refuses a body that is nested deeper than
``max_depth``, holds more than ``max_values`` values or has a string longer than
``max_string`` characters; only then does it parse. Every refusal is a ``ValueError``, like
any other malformed body, so callers answer 400 "The body is not valid JSON."
"""

from __future__ import annotations

import json
from typing import Any

#: Bounds for the survey API (its deepest real body is 3 levels: answers → questionnaire →
#: item codes; its largest a few hundred values; its longest string a family name).
MAX_DEPTH = 8
MAX_VALUES = 5000
MAX_STRING = 1000


class JSONTooComplexError(ValueError):
    """The body is nested too deeply, holds too many values or too long a string."""


def check_structure(
    text: str,
    *,
    max_depth: int = MAX_DEPTH,
    max_values: int = MAX_VALUES,
    max_string: int = MAX_STRING,
) -> None:
    """Raise :class:`JSONTooComplexError` when ``text`` exceeds the bounds (it need not be
    valid JSON: the parser judges that afterwards)."""
    depth = 0
    values = 1
    in_string = False
    escaped = False
    string_start = 0
    for index, char in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
                if index - string_start - 1 > max_string:
                    raise JSONTooComplexError("a string is too long")
            continue
        if char == '"':
            in_string = True
            string_start = index
        elif char in "[{":
            depth += 1
            if depth > max_depth:
                raise JSONTooComplexError("the body is nested too deeply")
        elif char in "]}":
            depth -= 1
        elif char in ",:":
            values += 1
            if values > max_values:
                raise JSONTooComplexError("the body holds too many values")
    if in_string and len(text) - string_start - 1 > max_string:
        raise JSONTooComplexError("a string is too long")


def loads_bounded(text: str, **bounds: int) -> Any:
    """``json.loads(text)`` after :func:`check_structure`; any refusal is a ``ValueError``."""
    check_structure(text, **bounds)
    try:
        return json.loads(text)
    except RecursionError:  # not reachable within the bounds; kept as a last guard
        raise JSONTooComplexError("the body is nested too deeply") from None
