"""pce7: Positive Childhood Experiences, 7 items (Bethell et al. 2019; MMWR 2024).

Scoring per ``shared/spec/instruments.md``: an item is affirmative at code 4 or 5; ``score`` is
the number affirmative (0-7) with bands 0-2 / 3-5 / 6-7; ``family`` counts pce1, pce2, pce7 and
``community`` pce3-pce6 (the 3/4 split is published, the assignment is our inference); pce4
code 8 (did not attend school) is a valid answer scored 0, not missing.
"""

from __future__ import annotations

from hopeful.framework.instruments.base import (
    Audience,
    Band,
    Count,
    Indicator,
    Instrument,
    Item,
    ResponseOption,
    Translation,
    TranslationStatus,
)
from hopeful.framework.instruments.registry import register
from hopeful.framework.instruments.scales import NEVER_TO_ALL_OF_THE_TIME, NEVER_TO_ALWAYS
from hopeful.framework.text import Text

AFFIRMATIVE = frozenset({4, 5})

_NO_SCHOOL = ResponseOption(
    8,
    Text(
        en="I did not attend high school / I was home-schooled",
        es="No asistí a la escuela secundaria / estudié en casa",
    ),
)


def _item(item_id: str, block: str, construct: Text, text: Text, **kw: object) -> Item:
    return Item(
        id=item_id,
        text=text,
        construct=construct,
        block=block,
        affirmative=AFFIRMATIVE,
        options=kw.pop("options", NEVER_TO_ALWAYS),  # type: ignore[arg-type]
        **kw,  # type: ignore[arg-type]
    )


PCE7 = register(
    Instrument(
        id="pce7",
        version="1.0",
        title=Text(
            en="Positive Childhood Experiences (PCE) scale",
            es="Escala de Experiencias Positivas en la Infancia (EPI)",
        ),
        short_title=Text(
            en="Positive childhood experiences", es="Experiencias positivas en la infancia"
        ),
        description=Text(
            en=(
                "Seven questions about positive experiences you may have had growing up: "
                "feeling able to talk with family, support from friends and caring adults, "
                "belonging, and feeling safe at home."
            ),
            es=(
                "Siete preguntas sobre experiencias positivas que pudo haber tenido durante "
                "su crecimiento: sentir que podía hablar con su familia, el apoyo de amistades "
                "y adultos que se preocupaban por usted, el sentido de pertenencia y sentirse "
                "seguro(a) en casa."
            ),
        ),
        instructions=Text(
            en="Thinking about the time before you were 18 years old, how often or how much did you:",
            es="Pensando en el tiempo antes de cumplir 18 años, con qué frecuencia o en qué medida usted:",
        ),
        audience=Audience.ADULT_RETROSPECTIVE,
        items=(
            _item(
                "pce1",
                "emotional_growth",
                Text(
                    en="Talking with family about feelings",
                    es="Hablar con la familia sobre los sentimientos",
                ),
                Text(
                    en="Feel able to talk to your family about your feelings?",
                    es="¿Sentía que podía hablar con su familia sobre sus sentimientos?",
                ),
            ),
            _item(
                "pce2",
                "relationships",
                Text(
                    en="Family support in hard times", es="Apoyo de la familia en tiempos difíciles"
                ),
                Text(
                    en="Feel that your family stood by you during difficult times?",
                    es="¿Sentía que su familia lo (la) apoyaba en los momentos difíciles?",
                ),
            ),
            _item(
                "pce3",
                "engagement",
                Text(en="Community traditions", es="Tradiciones de la comunidad"),
                Text(
                    en="Enjoy participating in community traditions?",
                    es="¿Disfrutaba participar en las tradiciones de su comunidad?",
                ),
            ),
            _item(
                "pce4",
                "engagement",
                Text(en="Belonging in high school", es="Pertenencia en la escuela secundaria"),
                Text(
                    en="Feel a sense of belonging in high school?",
                    es="¿Sentía que pertenecía a su escuela secundaria (high school)?",
                ),
                options=(*NEVER_TO_ALWAYS[:5], _NO_SCHOOL, *NEVER_TO_ALWAYS[5:]),
                note=Text(
                    en="Choose 'did not attend high school' if it does not apply to you.",
                    es="Elija 'no asistí a la escuela secundaria' si no aplica en su caso.",
                ),
            ),
            _item(
                "pce5",
                "relationships",
                Text(en="Support from friends", es="Apoyo de amistades"),
                Text(
                    en="Feel supported by friends?", es="¿Se sentía apoyado(a) por sus amistades?"
                ),
            ),
            _item(
                "pce6",
                "relationships",
                Text(
                    en="Caring adults outside the home", es="Adultos que se interesaban por usted"
                ),
                Text(
                    en=(
                        "Have at least two adults who were not your parents who took a genuine "
                        "interest in you?"
                    ),
                    es=(
                        "¿Tenía por lo menos dos adultos, aparte de sus padres, que se "
                        "interesaban de verdad por usted?"
                    ),
                ),
            ),
            _item(
                "pce7",
                "environment",
                Text(en="Safe and protected at home", es="Seguridad y protección en el hogar"),
                Text(
                    en="Feel safe and protected by an adult in your home?",
                    es="¿Se sentía seguro(a) y protegido(a) por un adulto en su hogar?",
                ),
                options=NEVER_TO_ALL_OF_THE_TIME,
            ),
        ),
        indicators=tuple(Indicator(f"pce{n}", (f"pce{n}",)) for n in range(1, 8)),
        outputs=(
            Count(
                "score",
                tuple(f"pce{n}" for n in range(1, 8)),
                Text(en="Positive childhood experiences (0-7)", es="Experiencias positivas (0-7)"),
            ),
            Band(
                "band",
                "score",
                ((0, 2, "0-2"), (3, 5, "3-5"), (6, 7, "6-7")),
                Text(en="PCE group", es="Grupo de EPI"),
            ),
            Count(
                "family",
                ("pce1", "pce2", "pce7"),
                Text(en="Family experiences (0-3)", es="Experiencias en la familia (0-3)"),
            ),
            Count(
                "community",
                ("pce3", "pce4", "pce5", "pce6"),
                Text(en="Community experiences (0-4)", es="Experiencias en la comunidad (0-4)"),
            ),
        ),
        block_counts=True,
        translations={
            "en": Translation(
                TranslationStatus.UNOFFICIAL, "Adapted wording; the fielded text is unverified."
            ),
            "es": Translation(
                TranslationStatus.UNOFFICIAL, "HOPEful's translation; no official Spanish text."
            ),
        },
        source="Adapted from Bethell et al., JAMA Pediatrics 2019 (items from the CYRM-28).",
        citation=(
            "Bethell C, Jones J, Gombojav N, Linkenbach J, Sege R. Positive Childhood Experiences "
            "and Adult Mental and Relational Health in a Statewide Sample. JAMA Pediatr. "
            "2019;173(11):e193007. doi:10.1001/jamapediatrics.2019.3007"
        ),
        licence=(
            "Items adapted from the CYRM-28, free for non-profit research use; commercial use "
            "needs permission from the Resilience Research Centre. Whether this covers the "
            "7-item adaptation is unverified."
        ),
        wording_note=(
            "Item wording is adapted: the exact fielded wording and the labels of the top two "
            "points are unverified. pce7 uses the BRFSS ACEADSAF scale. The family/community "
            "item assignment is inferred from the published 3/4 split."
        ),
    )
)
