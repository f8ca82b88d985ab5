"""nsch_family_resilience: the NSCH family resilience items (all ages, parent report).

Scoring per ``shared/spec/instruments.md``: four items answered 1 All of the time, 2 Most of
the time, 3 Some of the time, 4 None of the time (7 and 9 missing); an item is met at code 1
or 2. ``score`` is the number of items met (0-4) with bands 0-1 / 2-3 / 4, and ``resilient``
is true when all four are met, all complete case. ``bb_<block>`` counts are added per
building block (our mapping).
"""

from __future__ import annotations

from hopeful.framework.instruments.base import (
    AgeRange,
    AllMet,
    Audience,
    Band,
    Count,
    Indicator,
    Instrument,
    Item,
    Translation,
    TranslationStatus,
)
from hopeful.framework.instruments.registry import register
from hopeful.framework.instruments.scales import ALL_TO_NONE_OF_THE_TIME
from hopeful.framework.text import Text

MET = frozenset({1, 2})


def _item(item_id: str, block: str, construct: Text, text: Text) -> Item:
    return Item(
        id=item_id,
        text=text,
        construct=construct,
        block=block,
        affirmative=MET,
        options=ALL_TO_NONE_OF_THE_TIME,
    )


ITEM_IDS = ("TALKABOUT", "WKTOSOLVE", "STRENGTHS", "HOPEFUL")

NSCH_FAMILY_RESILIENCE = register(
    Instrument(
        id="nsch_family_resilience",
        version="1.0",
        title=Text(en="Family resilience (NSCH)", es="Resiliencia familiar (NSCH)"),
        short_title=Text(en="Your family in hard times", es="Su familia en los momentos difíciles"),
        description=Text(
            en=(
                "Four questions from the National Survey of Children's Health about what your "
                "family does when it faces problems: talking together, working together, "
                "knowing your strengths, and staying hopeful. For families with children of "
                "any age."
            ),
            es=(
                "Cuatro preguntas de la Encuesta Nacional de Salud Infantil (NSCH) sobre lo que "
                "hace su familia cuando tiene problemas: hablar juntos, trabajar juntos, saber "
                "cuáles son sus fortalezas y mantener la esperanza. Para familias con niños de "
                "cualquier edad."
            ),
        ),
        instructions=Text(
            en=(
                "When your family faces problems, how often are you likely to do each of the "
                "following?"
            ),
            es=(
                "Cuando su familia tiene problemas, ¿con qué frecuencia es probable que hagan "
                "cada una de estas cosas?"
            ),
        ),
        audience=Audience.PARENT_REPORT_CHILD,
        age_range=AgeRange(0, 215),
        items=(
            _item(
                "TALKABOUT",
                "relationships",
                Text(en="Talk together", es="Hablar juntos"),
                Text(en="Talk together about what to do", es="Hablar juntos sobre qué hacer"),
            ),
            _item(
                "WKTOSOLVE",
                "relationships",
                Text(en="Work together", es="Trabajar juntos"),
                Text(
                    en="Work together to solve our problems",
                    es="Trabajar juntos para resolver nuestros problemas",
                ),
            ),
            _item(
                "STRENGTHS",
                "emotional_growth",
                Text(en="Know our strengths", es="Conocer nuestras fortalezas"),
                Text(
                    en="Know we have strengths to draw on",
                    es="Saber que tenemos fortalezas con las que podemos contar",
                ),
            ),
            _item(
                "HOPEFUL",
                "emotional_growth",
                Text(en="Stay hopeful", es="Mantener la esperanza"),
                Text(
                    en="Stay hopeful even in difficult times",
                    es="Mantener la esperanza aun en los momentos difíciles",
                ),
            ),
        ),
        indicators=tuple(Indicator(i, (i,)) for i in ITEM_IDS),
        outputs=(
            Count(
                "score",
                ITEM_IDS,
                Text(
                    en="Family resilience items met (0-4)",
                    es="Aspectos de resiliencia familiar cumplidos (0-4)",
                ),
            ),
            Band(
                "band",
                "score",
                ((0, 1, "0-1"), (2, 3, "2-3"), (4, 4, "4")),
                Text(en="Family resilience group", es="Grupo de resiliencia familiar"),
            ),
            AllMet(
                "resilient",
                ITEM_IDS,
                Text(
                    en="Family resilience (all 4 most or all of the time)",
                    es="Resiliencia familiar (las 4 la mayor parte del tiempo o todo el tiempo)",
                ),
            ),
        ),
        block_counts=True,
        translations={
            "en": Translation(
                TranslationStatus.OFFICIAL,
                "Exact header and item wording of the 2019 NSCH Topical Variable List.",
            ),
            "es": Translation(
                TranslationStatus.UNOFFICIAL,
                (
                    "HOPEful's translation; no official Spanish text obtained (the NSCH has a "
                    "Spanish questionnaire that we have not retrieved)."
                ),
            ),
        },
        source=(
            "National Survey of Children's Health (NSCH; U.S. Census Bureau for HRSA MCHB), "
            "2019 Topical Variable List, all forms (T1, T2, T3). Indicator definition as in "
            "the DRC/CAHMI FamResilience variable."
        ),
        citation=(
            "U.S. Census Bureau and Health Resources and Services Administration, Maternal and "
            "Child Health Bureau. 2019 National Survey of Children's Health, Topical Variable "
            "List. Child and Adolescent Health Measurement Initiative (CAHMI), Data Resource "
            "Center for Child and Adolescent Health: indicator FamResilience."
        ),
        licence=(
            "NSCH items come from a federal (Census/HRSA) questionnaire and so are public "
            "domain in the US (our inference; no explicit statement retrieved). The DRC/CAHMI "
            "terms for the indicator definitions were not retrieved."
        ),
        wording_note=(
            "Header and item texts are the exact 2019 NSCH wording (verified). Item met = all "
            "or most of the time, the groups 0-1 / 2-3 / 4 and resilient = all 4 met are "
            "verified (HHS OPA data notes; State of Babies Yearbook). The items are asked about "
            "the family on every NSCH form (ages 0-17). The building-block mapping is ours."
        ),
    )
)
