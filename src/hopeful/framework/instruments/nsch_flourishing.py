"""nsch_flourishing_0_5 and nsch_flourishing_6_17: child flourishing items of the NSCH.

Scoring per ``shared/spec/instruments.md`` (the DRC/CAHMI convention): a parent or caregiver
answers about a child, 1 Always, 2 Usually, 3 Sometimes, 4 Never (7 and 9 missing); an item is
met at code 1 or 2. ``score`` is the number of items met and ``flourishing`` is true when all
items are met, both complete case. Ages 6 months-5 years use 4 items (K6Q70_R, K6Q73_R,
K6Q71_R, K6Q72_R); ages 6-17 use 3 items (K6Q71_R, K7Q84_R, K7Q85_R). ``K6Q71_R`` (interest
and curiosity in learning) is shared by both. ``bb_<block>`` counts are added per building
block (our mapping).
"""

from __future__ import annotations

from hopeful.framework.instruments.base import (
    AgeRange,
    AllMet,
    Audience,
    Count,
    Indicator,
    Instrument,
    Item,
    Translation,
    TranslationStatus,
)
from hopeful.framework.instruments.registry import register
from hopeful.framework.instruments.scales import ALWAYS_TO_NEVER
from hopeful.framework.text import Text

MET = frozenset({1, 2})


def _item(item_id: str, block: str, construct: Text, text: Text) -> Item:
    return Item(
        id=item_id,
        text=text,
        construct=construct,
        block=block,
        affirmative=MET,
        options=ALWAYS_TO_NEVER,
    )


K6Q70_R = _item(
    "K6Q70_R",
    "relationships",
    Text(en="Affectionate and tender", es="Cariñoso(a) y tierno(a)"),
    Text(
        en="Is this child affectionate and tender with you?",
        es="¿Este niño o niña es cariñoso(a) y tierno(a) con usted?",
    ),
)

K6Q73_R = _item(
    "K6Q73_R",
    "emotional_growth",
    Text(en="Bounces back", es="Se recupera rápido"),
    Text(
        en="Does this child bounce back quickly when things do not go his or her way?",
        es="¿Este niño o niña se recupera rápido cuando las cosas no salen como quiere?",
    ),
)

K6Q71_R = _item(
    "K6Q71_R",
    "engagement",
    Text(en="Curious about learning", es="Curiosidad por aprender"),
    Text(
        en="Does this child show interest and curiosity in learning new things?",
        es="¿Este niño o niña muestra interés y curiosidad por aprender cosas nuevas?",
    ),
)

K6Q72_R = _item(
    "K6Q72_R",
    "emotional_growth",
    Text(en="Smiles and laughs", es="Sonríe y se ríe"),
    Text(
        en="Does this child smile and laugh?",
        es="¿Este niño o niña sonríe y se ríe?",
    ),
)

K7Q84_R = _item(
    "K7Q84_R",
    "emotional_growth",
    Text(en="Works to finish tasks", es="Se esfuerza por terminar lo que empieza"),
    Text(
        en="Does this child work to finish tasks he or she starts?",
        es="¿Este niño o niña se esfuerza por terminar las tareas o actividades que empieza?",
    ),
)

K7Q85_R = _item(
    "K7Q85_R",
    "emotional_growth",
    Text(en="Stays calm when challenged", es="Mantiene la calma ante un reto"),
    Text(
        en="Does this child stay calm and in control when faced with a challenge?",
        es="¿Este niño o niña mantiene la calma y el control cuando enfrenta un reto?",
    ),
)

_INSTRUCTIONS = Text(
    en="How often does this child do each of the following? For each question, choose how often.",
    es=(
        "¿Con qué frecuencia este niño o niña hace cada una de estas cosas? En cada pregunta, "
        "elija con qué frecuencia."
    ),
)

_TRANSLATIONS = {
    "en": Translation(
        TranslationStatus.OFFICIAL,
        (
            "Exact item wording of the 2019 NSCH Topical Variable List; the instructions "
            "sentence paraphrases the NSCH header 'How often:'."
        ),
    ),
    "es": Translation(
        TranslationStatus.UNOFFICIAL,
        (
            "HOPEful's translation; no official Spanish text obtained (the NSCH has a Spanish "
            "questionnaire that we have not retrieved)."
        ),
    ),
}

_SOURCE = (
    "National Survey of Children's Health (NSCH; U.S. Census Bureau for HRSA MCHB), 2019 "
    "Topical Variable List. Indicator definitions from the Data Resource Center for Child "
    "and Adolescent Health (DRC/CAHMI), flrish0to5 and flrish6to17."
)

_CITATION = (
    "U.S. Census Bureau and Health Resources and Services Administration, Maternal and Child "
    "Health Bureau. 2019 National Survey of Children's Health, Topical Variable List. "
    "Child and Adolescent Health Measurement Initiative (CAHMI), Data Resource Center for "
    "Child and Adolescent Health: indicators flrish0to5 and flrish6to17."
)

_LICENCE = (
    "NSCH items come from a federal (Census/HRSA) questionnaire and so are public domain in "
    "the US (our inference; no explicit statement retrieved). The DRC/CAHMI terms for the "
    "indicator definitions were not retrieved."
)

_WORDING_NOTE = (
    "Item texts are the exact 2019 NSCH wording (verified), asked under the header 'How "
    "often:'; our instructions sentence paraphrases that header. Item met = Always or Usually "
    "and flourishing = all items met are verified (MCHB, DRC); the 0-{n} count is secondary. "
    "The building-block mapping is ours."
)


def _outputs(item_ids: tuple[str, ...]) -> tuple[Count | AllMet, ...]:
    n = len(item_ids)
    return (
        Count(
            "score",
            item_ids,
            Text(
                en=f"Flourishing items met (0-{n})",
                es=f"Aspectos de florecimiento cumplidos (0-{n})",
            ),
        ),
        AllMet(
            "flourishing",
            item_ids,
            Text(
                en="Flourishing (all items usually or always)",
                es="Florecimiento (todos los aspectos casi siempre o siempre)",
            ),
        ),
    )


_ITEMS_0_5 = (K6Q70_R, K6Q73_R, K6Q71_R, K6Q72_R)
_IDS_0_5 = tuple(i.id for i in _ITEMS_0_5)

NSCH_FLOURISHING_0_5 = register(
    Instrument(
        id="nsch_flourishing_0_5",
        version="1.0",
        title=Text(
            en="Child flourishing, 6 months to 5 years (NSCH)",
            es="Florecimiento infantil, de 6 meses a 5 años (NSCH)",
        ),
        short_title=Text(
            en="How your young child is doing", es="Cómo está su niño o niña pequeño(a)"
        ),
        description=Text(
            en=(
                "Four questions from the National Survey of Children's Health about a young "
                "child: being affectionate, bouncing back, being curious about learning, and "
                "smiling and laughing. For children 6 months to 5 years old."
            ),
            es=(
                "Cuatro preguntas de la Encuesta Nacional de Salud Infantil (NSCH) sobre un "
                "niño o niña pequeño(a): si es cariñoso(a), si se recupera rápido, si tiene "
                "curiosidad por aprender y si sonríe y se ríe. Para niños de 6 meses a 5 años."
            ),
        ),
        instructions=_INSTRUCTIONS,
        audience=Audience.PARENT_REPORT_CHILD,
        age_range=AgeRange(6, 71),
        items=_ITEMS_0_5,
        indicators=tuple(Indicator(i, (i,)) for i in _IDS_0_5),
        outputs=_outputs(_IDS_0_5),
        block_counts=True,
        translations=_TRANSLATIONS,
        source=_SOURCE,
        citation=_CITATION,
        licence=_LICENCE,
        wording_note=(
            _WORDING_NOTE.format(n=4)
            + " The NSCH form T1 covers ages 0-5; the DRC flourishing indicator is defined for "
            "6 months to 5 years (verified), hence the age range 6-71 months. Some published "
            "summaries say 'smile and laugh a lot'; the codebook reads 'smile and laugh'."
        ),
    )
)

_ITEMS_6_17 = (K6Q71_R, K7Q84_R, K7Q85_R)
_IDS_6_17 = tuple(i.id for i in _ITEMS_6_17)

NSCH_FLOURISHING_6_17 = register(
    Instrument(
        id="nsch_flourishing_6_17",
        version="1.0",
        title=Text(
            en="Child flourishing, 6 to 17 years (NSCH)",
            es="Florecimiento infantil, de 6 a 17 años (NSCH)",
        ),
        short_title=Text(en="How your child is doing", es="Cómo está su niño, niña o joven"),
        description=Text(
            en=(
                "Three questions from the National Survey of Children's Health about a child "
                "or teen: being curious about learning, working to finish tasks, and staying "
                "calm when faced with a challenge. For children 6 to 17 years old."
            ),
            es=(
                "Tres preguntas de la Encuesta Nacional de Salud Infantil (NSCH) sobre un niño, "
                "niña o joven: si tiene curiosidad por aprender, si se esfuerza por terminar lo "
                "que empieza y si mantiene la calma ante un reto. Para niños y jóvenes de 6 a "
                "17 años."
            ),
        ),
        instructions=_INSTRUCTIONS,
        audience=Audience.PARENT_REPORT_CHILD,
        age_range=AgeRange(72, 215),
        items=_ITEMS_6_17,
        indicators=tuple(Indicator(i, (i,)) for i in _IDS_6_17),
        outputs=_outputs(_IDS_6_17),
        block_counts=True,
        translations=_TRANSLATIONS,
        source=_SOURCE,
        citation=_CITATION,
        licence=_LICENCE,
        wording_note=(
            _WORDING_NOTE.format(n=3)
            + " NSCH forms T2 (6-11) and T3 (12-17) ask these items; ages 6-17 years are "
            "72-215 months."
        ),
    )
)
