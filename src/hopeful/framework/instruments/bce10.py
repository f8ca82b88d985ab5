"""bce10: Benevolent Childhood Experiences (BCEs) scale, 10 items (Narayan et al. 2018).

Scoring per ``shared/spec/instruments.md``: every item is answered 1 Yes / 2 No (7 and 9 are
missing); ``score`` is the number of Yes answers (0-10), complete case over all ten items. There
is no band, because no published cut-off exists. Each item has one primary HOPE building block,
and ``bb_<block>`` counts are added per block (our mapping).

The item wording is secondary (identical in several third-party implementations, not checked
against the 2018 article); the stem is unverified. The English text is therefore marked
unofficial.
"""

from __future__ import annotations

from hopeful.framework.instruments.base import (
    Audience,
    Count,
    Indicator,
    Instrument,
    Item,
    Translation,
    TranslationStatus,
)
from hopeful.framework.instruments.registry import register
from hopeful.framework.instruments.scales import YES_NO
from hopeful.framework.text import Text

AFFIRMATIVE = frozenset({1})


def _item(item_id: str, block: str, construct: Text, text: Text) -> Item:
    return Item(
        id=item_id,
        text=text,
        construct=construct,
        block=block,
        affirmative=AFFIRMATIVE,
        options=YES_NO,
    )


ITEM_IDS = tuple(f"bce{n}" for n in range(1, 11))

BCE10 = register(
    Instrument(
        id="bce10",
        version="1.0",
        title=Text(
            en="Benevolent Childhood Experiences (BCEs) scale",
            es="Escala de Experiencias Benévolas en la Infancia (EBI)",
        ),
        short_title=Text(en="Good things in childhood", es="Cosas buenas en la infancia"),
        description=Text(
            en=(
                "Ten yes-or-no questions about good things you may have had growing up: "
                "safe and caring people, friends, comfort, school, neighbors, fun, feeling "
                "good about yourself, and a steady home routine."
            ),
            es=(
                "Diez preguntas de sí o no sobre cosas buenas que pudo haber tenido durante "
                "su crecimiento: personas seguras que lo (la) cuidaban, amistades, consuelo, "
                "la escuela, los vecinos, la diversión, sentirse bien consigo mismo(a) y una "
                "rutina estable en casa."
            ),
        ),
        instructions=Text(
            en="When you were growing up, during the first 18 years of life:",
            es="Cuando usted era niño(a) o joven, durante sus primeros 18 años de vida:",
        ),
        audience=Audience.ADULT_RETROSPECTIVE,
        items=(
            _item(
                "bce1",
                "relationships",
                Text(
                    en="A caregiver who made you feel safe",
                    es="Alguien que lo (la) cuidaba y le daba seguridad",
                ),
                Text(
                    en="Did you have at least one caregiver with whom you felt safe?",
                    es=(
                        "¿Tenía por lo menos una persona que lo (la) cuidaba con quien se "
                        "sentía seguro(a)?"
                    ),
                ),
            ),
            _item(
                "bce2",
                "relationships",
                Text(en="A good friend", es="Un buen amigo o una buena amiga"),
                Text(
                    en="Did you have at least one good friend?",
                    es="¿Tenía por lo menos un buen amigo o una buena amiga?",
                ),
            ),
            _item(
                "bce3",
                "emotional_growth",
                Text(en="Beliefs that gave comfort", es="Creencias que le daban consuelo"),
                Text(
                    en="Did you have beliefs that gave you comfort?",
                    es="¿Tenía creencias que le daban consuelo?",
                ),
            ),
            _item(
                "bce4",
                "environment",
                Text(en="Liking school", es="Le gustaba la escuela"),
                Text(en="Did you like school?", es="¿Le gustaba la escuela?"),
            ),
            _item(
                "bce5",
                "relationships",
                Text(
                    en="A teacher who cared",
                    es="Un maestro o una maestra que se preocupaba por usted",
                ),
                Text(
                    en="Did you have at least one teacher who cared about you?",
                    es=(
                        "¿Tenía por lo menos un maestro o una maestra que se preocupaba por usted?"
                    ),
                ),
            ),
            _item(
                "bce6",
                "environment",
                Text(en="Good neighbors", es="Buenos vecinos"),
                Text(en="Did you have good neighbors?", es="¿Tenía buenos vecinos?"),
            ),
            _item(
                "bce7",
                "relationships",
                Text(
                    en="Another adult for support or advice",
                    es="Otro adulto que le daba apoyo o consejos",
                ),
                Text(
                    en=(
                        "Was there an adult (not a parent/caregiver) who could provide you "
                        "with support or advice?"
                    ),
                    es=(
                        "¿Había algún adulto (que no fuera su padre, su madre ni la persona "
                        "que lo (la) cuidaba) que pudiera darle apoyo o consejos?"
                    ),
                ),
            ),
            _item(
                "bce8",
                "engagement",
                Text(en="Chances to have a good time", es="Oportunidades para divertirse"),
                Text(
                    en="Did you have opportunities to have a good time?",
                    es="¿Tenía oportunidades para pasarla bien y divertirse?",
                ),
            ),
            _item(
                "bce9",
                "emotional_growth",
                Text(en="Liking yourself", es="Sentirse bien consigo mismo(a)"),
                Text(
                    en="Did you like yourself or feel comfortable with yourself?",
                    es="¿Le caía bien usted mismo(a) o se sentía a gusto consigo mismo(a)?",
                ),
            ),
            _item(
                "bce10",
                "environment",
                Text(en="A predictable home routine", es="Una rutina estable en casa"),
                Text(
                    en=(
                        "Did you have a predictable home routine, like regular meals and a "
                        "regular bedtime?"
                    ),
                    es=(
                        "¿Tenía una rutina en casa con la que podía contar, como comidas a "
                        "horas fijas y una hora fija para dormir?"
                    ),
                ),
            ),
        ),
        indicators=tuple(Indicator(item_id, (item_id,)) for item_id in ITEM_IDS),
        outputs=(
            Count(
                "score",
                ITEM_IDS,
                Text(
                    en="Benevolent childhood experiences (0-10)",
                    es="Experiencias benévolas en la infancia (0-10)",
                ),
            ),
        ),
        block_counts=True,
        translations={
            "en": Translation(
                TranslationStatus.UNOFFICIAL,
                (
                    "Secondary wording (identical in several third-party implementations, not "
                    "checked against the 2018 article); the stem is unverified."
                ),
            ),
            "es": Translation(
                TranslationStatus.UNOFFICIAL,
                "HOPEful's translation; no official Spanish text obtained.",
            ),
        },
        source=(
            "Narayan et al. 2018 (Benevolent Childhood Experiences scale); University of Denver "
            "PROTECT Lab, https://liberalarts.du.edu/psychology/protect/instruments. Item "
            "wording taken from third-party implementations (secondary)."
        ),
        citation=(
            "Narayan AJ, Rivera LM, Bernstein RE, Harris WW, Lieberman AF. Positive childhood "
            "experiences predict less psychopathology and stress in pregnant women with "
            "childhood adversity: A pilot study of the benevolent childhood experiences (BCEs) "
            "scale. Child Abuse Negl. 2018;78:19-30."
        ),
        licence=(
            "The owner (University of Denver PROTECT Lab) says the instruments are publicly "
            "available, with items in the publications and ready-to-use PDFs from Dr. Narayan; "
            "no explicit licence was found. Ask for written permission and cite Narayan et al. "
            "2018."
        ),
        wording_note=(
            "Item wording is secondary: identical in several independent third-party "
            "implementations but not checked against the 2018 article. The stem 'When you were "
            "growing up, during the first 18 years of life:' is commonly cited but unverified. "
            "The original bce7 reportedly also excludes 'the person from #1' (unverified; not "
            "included). Scoring (sum of Yes answers) is verified from the owner's page; no "
            "published cut-off exists, so there is no band. The building-block mapping is ours."
        ),
    )
)
