"""The Four Building Blocks as casework pages name them."""

from __future__ import annotations

from hopeful.framework import BUILDING_BLOCKS


def block_names(language: str) -> dict[str, str]:
    """Each building block's id -> its name in ``language``, in the blocks' order."""
    ordered = sorted(BUILDING_BLOCKS, key=lambda b: b.order)
    return {b.id: b.name.get_text(language) for b in ordered}
