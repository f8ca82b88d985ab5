"""The answer scales and the helpers the six standards' questions are written with.

The six standards are in :mod:`~hopeful.framework.standards.content_1` (1 to 3) and
:mod:`~hopeful.framework.standards.content_2` (4 to 6).

The six standards' names are the HOPE National Resource Center's (HOPE Summit 2024: the
self-assessment that starts the HOPE-Informed Organizational Certification). Their
descriptions here, the questions, the answer options and their points are HOPEful's own
design, drawn from what HOPE publishes about implementation (leadership support, internal
culture, forms and policies, equity of access to the Four Building Blocks, learning from
data); they are not an official HOPE rubric.
"""

from __future__ import annotations

from hopeful.framework.blocks import get_building_block
from hopeful.framework.standards.model import Area, Option, Question
from hopeful.framework.text import Text

__all__ = ["INTAKE_OPTIONS", "SCALE", "block_question", "question"]

#: The usual answer scale: how far a practice or policy is in place.
SCALE: tuple[Option, ...] = (
    Option("not_in_place", 0, Text(en="Not in place", es="No existe todavía")),
    Option("started", 1, Text(en="Started or planned", es="Iniciado o planificado")),
    Option("in_place", 2, Text(en="In place", es="Implementado")),
    Option(
        "reviewed",
        3,
        Text(
            en="In place and reviewed in the last year",
            es="Implementado y revisado en el último año",
        ),
    ),
)

#: What intake forms ask about: the example the issue gives ("an intake form that asks only
#: about risks") gets its own answers, so the suggestion it triggers is precise.
INTAKE_OPTIONS: tuple[Option, ...] = (
    Option(
        "risks_only",
        0,
        Text(en="Only risks and needs", es="Solo riesgos y necesidades"),
    ),
    Option(
        "open_strengths",
        1,
        Text(
            en="Risks and needs, and one open question about strengths",
            es="Riesgos y necesidades, y una pregunta abierta sobre fortalezas",
        ),
    ),
    Option(
        "some_blocks",
        2,
        Text(
            en="Strengths in some of the Four Building Blocks",
            es="Fortalezas en algunos de los Cuatro Pilares",
        ),
    ),
    Option(
        "all_blocks",
        3,
        Text(
            en="Strengths in all Four Building Blocks, and the answers shape the family's plan",
            es=(
                "Fortalezas en los Cuatro Pilares, y las respuestas orientan el plan de la familia"
            ),
        ),
    ),
)


def question(
    standard_id: str,
    key: str,
    area: Area,
    text: tuple[str, str],
    opportunity: tuple[str, str],
    *,
    options: tuple[Option, ...] = SCALE,
    block_id: str | None = None,
) -> Question:
    """A question of ``standard_id`` with the id ``<standard_id>.<key>``; ``text`` and
    ``opportunity`` are (English, Spanish)."""
    return Question(
        id=f"{standard_id}.{key}",
        standard_id=standard_id,
        area=area,
        text=Text(en=text[0], es=text[1]),
        options=options,
        opportunity=Text(en=opportunity[0], es=opportunity[1]),
        block_id=block_id,
    )


def block_question(block_id: str, text: tuple[str, str], opp: tuple[str, str]) -> Question:
    """The fifth standard's question about one building block (its id is the block's)."""
    get_building_block(block_id)  # fails loudly if the vocabulary ever changes
    return question("four_building_blocks", block_id, Area.PRACTICE, text, opp, block_id=block_id)
