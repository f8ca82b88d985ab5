"""The Four Building Blocks of HOPE and the tag vocabularies around them.

The building blocks are the platform's first-class vocabulary: every instrument item,
conversation prompt, goal and dashboard is organized by them. Ids are stable and never reused.

The names and descriptions paraphrase the HOPE National Resource Center's public pages
(positiveexperience.org, "The Four Building Blocks of HOPE"). The HOPE pathways and the
social-ecological levels are *our* tag vocabularies for later features (guidance content,
policy self-assessment); they are documented choices, not official HOPE terms.
"""

from __future__ import annotations

from dataclasses import dataclass

from hopeful.framework.text import Text

__all__ = [
    "BLOCK_IDS",
    "BUILDING_BLOCKS",
    "ECOLOGICAL_LEVELS",
    "PATHWAYS",
    "BuildingBlock",
    "Term",
    "get_building_block",
]


@dataclass(frozen=True, slots=True)
class Term:
    """One entry of a controlled vocabulary: a stable id, a name and a description."""

    id: str
    name: Text
    description: Text


@dataclass(frozen=True, slots=True)
class BuildingBlock(Term):
    """One of the Four Building Blocks of HOPE."""

    order: int = 0


BUILDING_BLOCKS: tuple[BuildingBlock, ...] = (
    BuildingBlock(
        id="relationships",
        order=1,
        name=Text(en="Relationships", es="Relaciones"),
        description=Text(
            en=(
                "Being in nurturing, supportive relationships within the family and with "
                "other children and adults, where the child feels seen, understood and safe."
            ),
            es=(
                "Tener relaciones afectuosas y de apoyo dentro de la familia y con otros "
                "niños y adultos, en las que el niño se siente visto, comprendido y seguro."
            ),
        ),
    ),
    BuildingBlock(
        id="environment",
        order=2,
        name=Text(en="Environment", es="Entorno"),
        description=Text(
            en=(
                "Living, learning and playing in safe, stable and equitable places, with "
                "basic needs met and physical and emotional safety."
            ),
            es=(
                "Vivir, aprender y jugar en lugares seguros, estables y equitativos, con las "
                "necesidades básicas cubiertas y seguridad física y emocional."
            ),
        ),
    ),
    BuildingBlock(
        id="engagement",
        order=3,
        name=Text(en="Engagement", es="Participación"),
        description=Text(
            en=(
                "Opportunities for social and civic engagement that build a sense of "
                "belonging and connectedness, such as community traditions and activities."
            ),
            es=(
                "Oportunidades de participación social y cívica que crean un sentido de "
                "pertenencia y conexión, como las tradiciones y actividades de la comunidad."
            ),
        ),
    ),
    BuildingBlock(
        id="emotional_growth",
        order=4,
        name=Text(en="Emotional growth", es="Crecimiento emocional"),
        description=Text(
            en=(
                "Opportunities to develop social and emotional skills, through play and time "
                "with peers, and to feel supported through difficult events and emotions."
            ),
            es=(
                "Oportunidades para desarrollar habilidades sociales y emocionales, mediante "
                "el juego y el tiempo con otros niños, y para sentirse apoyado en momentos y "
                "emociones difíciles."
            ),
        ),
    ),
)

#: The building-block ids in their canonical order.
BLOCK_IDS: tuple[str, ...] = tuple(b.id for b in BUILDING_BLOCKS)

_BLOCKS_BY_ID = {b.id: b for b in BUILDING_BLOCKS}


def get_building_block(block_id: str) -> BuildingBlock:
    """Return the building block with this id.

    Raises
    ------
    KeyError
        If ``block_id`` is not one of :data:`BLOCK_IDS`.
    """
    try:
        return _BLOCKS_BY_ID[block_id]
    except KeyError:
        raise KeyError(
            f"unknown building block {block_id!r} (known: {', '.join(BLOCK_IDS)})"
        ) from None


#: How an activity works for children, after the HOPE framework's aims (Sege & Browne 2017:
#: "actively promote positive childhood experiences ... as well as prevent or mitigate the
#: effect of adverse childhood experiences"). Our tag vocabulary.
PATHWAYS: tuple[Term, ...] = (
    Term(
        id="promote",
        name=Text(en="Promote positive experiences", es="Promover experiencias positivas"),
        description=Text(
            en="Create more opportunities for positive childhood experiences.",
            es="Crear más oportunidades de experiencias positivas en la infancia.",
        ),
    ),
    Term(
        id="prevent",
        name=Text(en="Prevent adversity", es="Prevenir la adversidad"),
        description=Text(
            en="Remove the conditions that lead to adverse experiences.",
            es="Eliminar las condiciones que llevan a experiencias adversas.",
        ),
    ),
    Term(
        id="mitigate",
        name=Text(
            en="Mitigate the effects of adversity", es="Mitigar los efectos de la adversidad"
        ),
        description=Text(
            en="Buffer children and families from the effects of adversity that has happened.",
            es="Proteger a niños y familias de los efectos de la adversidad ya vivida.",
        ),
    ),
)

#: Levels of the social-ecological model (after McLeroy et al., 1988), used to tag where a
#: practice or policy acts. Our tag vocabulary.
ECOLOGICAL_LEVELS: tuple[Term, ...] = (
    Term(
        id="individual",
        name=Text(en="Individual", es="Individual"),
        description=Text(
            en="The child or the caregiver: knowledge, skills, feelings.",
            es="El niño o la persona que lo cuida: conocimientos, habilidades, sentimientos.",
        ),
    ),
    Term(
        id="interpersonal",
        name=Text(en="Family and relationships", es="Familia y relaciones"),
        description=Text(
            en="Family, friends, peers and other trusted adults.",
            es="Familia, amistades, compañeros y otros adultos de confianza.",
        ),
    ),
    Term(
        id="organizational",
        name=Text(en="Organizations", es="Organizaciones"),
        description=Text(
            en="Clinics, schools, programs and agencies: their practices, forms and culture.",
            es="Clínicas, escuelas, programas y agencias: sus prácticas, formularios y cultura.",
        ),
    ),
    Term(
        id="community",
        name=Text(en="Community", es="Comunidad"),
        description=Text(
            en="Neighbourhoods, faith communities and the networks between organizations.",
            es="Barrios, comunidades de fe y las redes entre organizaciones.",
        ),
    ),
    Term(
        id="policy",
        name=Text(en="Policy", es="Políticas públicas"),
        description=Text(
            en="Local, state and national laws, funding and systems.",
            es="Leyes, financiamiento y sistemas locales, estatales y nacionales.",
        ),
    ),
)
