"""Ideas for more positive experiences, by building block, for the family strengths summary.

The wording is HOPEful's own (not quoted from HOPE materials) and is shown to families as
"suggestions from HOPEful". Ideas are small, concrete, free and doable this week; they never
assume what a family lacks. Adults answering about their own childhood get ideas for the
children in their lives now; parents answering about a child get ideas to do with that child.

>>> from hopeful.framework.guidance import ideas
>>> ideas("relationships", "parent_report_child")[0].get_text("es")[:18]
'Reserve unos minut'
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from hopeful.framework.blocks import BLOCK_IDS
from hopeful.framework.instruments.base import Audience
from hopeful.framework.text import Text

__all__ = ["ATTRIBUTION", "IDEAS", "ideas"]

#: How the summary credits the ideas (they are ours, not an official HOPE text).
ATTRIBUTION = Text(
    en="Ideas suggested by HOPEful, for you to take or leave.",
    es="Ideas sugeridas por HOPEful, para que las use si le sirven.",
)

_CHILD = Audience.PARENT_REPORT_CHILD
_ADULT = Audience.ADULT_RETROSPECTIVE

_IDEAS: dict[tuple[str, Audience], tuple[Text, ...]] = {
    ("relationships", _CHILD): (
        Text(
            en="Set aside a few minutes each day of one-on-one time, with the child choosing "
            "what you do together.",
            es="Reserve unos minutos cada día para estar a solas con su hijo o hija, y deje "
            "que elija qué hacer juntos.",
        ),
        Text(
            en="Name one other caring adult in your child's life and find a way for them to "
            "spend time together this month.",
            es="Piense en otro adulto que quiera a su hijo o hija y busque la manera de que "
            "pasen tiempo juntos este mes.",
        ),
    ),
    ("relationships", _ADULT): (
        Text(
            en="Think of a child you know and plan a little time together where you mostly listen.",
            es="Piense en un niño o niña que conozca y planee un rato juntos en el que usted "
            "sobre todo escuche.",
        ),
        Text(
            en="Reach out to someone who supports you: a call or a short message keeps that "
            "connection strong.",
            es="Comuníquese con alguien que le apoya: una llamada o un mensaje corto mantiene "
            "fuerte esa relación.",
        ),
    ),
    ("environment", _CHILD): (
        Text(
            en="Keep one simple daily routine the child can count on, such as a bedtime story "
            "or a shared meal.",
            es="Mantenga una rutina diaria sencilla con la que su hijo o hija pueda contar, "
            "como un cuento antes de dormir o una comida juntos.",
        ),
        Text(
            en="Make a calm, safe corner at home where the child can go to rest or play.",
            es="Prepare en casa un rincón tranquilo y seguro donde su hijo o hija pueda "
            "descansar o jugar.",
        ),
    ),
    ("environment", _ADULT): (
        Text(
            en="Notice what makes home feel safe and steady for the children around you, and "
            "keep doing it.",
            es="Fíjese en lo que hace que el hogar se sienta seguro y estable para los niños "
            "que le rodean, y siga haciéndolo.",
        ),
        Text(
            en="Ask your care team about local resources for food, housing or other basic "
            "needs, for yourself or someone you know.",
            es="Pregunte a su equipo de atención por recursos locales de alimentos, vivienda u "
            "otras necesidades básicas, para usted o alguien que conozca.",
        ),
    ),
    ("engagement", _CHILD): (
        Text(
            en="Share a family or community tradition with your child: a song, a recipe, a "
            "celebration or a story.",
            es="Comparta con su hijo o hija una tradición de su familia o comunidad: una "
            "canción, una receta, una celebración o una historia.",
        ),
        Text(
            en="Look for a free group activity nearby, like a library story time, a park "
            "program or a faith or cultural event.",
            es="Busque una actividad de grupo gratuita cerca de usted, como la hora del cuento "
            "en la biblioteca, un programa del parque o un evento cultural o de su comunidad "
            "de fe.",
        ),
    ),
    ("engagement", _ADULT): (
        Text(
            en="Invite a child you know to take part with you in a community tradition or event.",
            es="Invite a un niño o niña que conozca a participar con usted en una tradición o "
            "evento de la comunidad.",
        ),
        Text(
            en="Find one group where you feel you belong, such as a class, a team, a choir or "
            "a volunteer project.",
            es="Busque un grupo donde sienta que pertenece, como una clase, un equipo, un coro "
            "o un proyecto de voluntariado.",
        ),
    ),
    ("emotional_growth", _CHILD): (
        Text(
            en='Name feelings out loud together ("you look frustrated") and talk about what helps.',
            es='Pongan nombre juntos a los sentimientos en voz alta ("te veo frustrado") y '
            "hablen de lo que ayuda.",
        ),
        Text(
            en="Make time for free play, with other children when you can; play is how "
            "children practise getting along.",
            es="Dé tiempo para el juego libre, con otros niños cuando se pueda; jugando, los "
            "niños practican cómo llevarse bien.",
        ),
    ),
    ("emotional_growth", _ADULT): (
        Text(
            en="When a child you know is upset, stay close and calm; you do not need to fix "
            "it, just be there.",
            es="Cuando un niño o niña que conoce esté molesto, quédese cerca y tranquilo; no "
            "necesita arreglarlo, solo estar ahí.",
        ),
        Text(
            en="Talk with someone you trust about your own feelings; it shows children that "
            "this is normal.",
            es="Hable de sus propios sentimientos con alguien de confianza; así los niños ven "
            "que eso es normal.",
        ),
    ),
}

#: (block id, audience) -> ideas, read-only.
IDEAS: Mapping[tuple[str, Audience], tuple[Text, ...]] = MappingProxyType(_IDEAS)


def ideas(block_id: str, audience: Audience | str) -> tuple[Text, ...]:
    """One or two ideas for more positive experiences in ``block_id`` for ``audience``.

    Parameters
    ----------
    block_id
        One of :data:`hopeful.framework.BLOCK_IDS`.
    audience
        Who answered (an :class:`~hopeful.framework.Audience` or its value).

    Raises
    ------
    KeyError
        If the building block or the audience is unknown.
    """
    if block_id not in BLOCK_IDS:
        raise KeyError(f"unknown building block {block_id!r} (known: {', '.join(BLOCK_IDS)})")
    try:
        who = Audience(audience)
    except ValueError:
        raise KeyError(f"unknown audience {audience!r}") from None
    return IDEAS[(block_id, who)]
