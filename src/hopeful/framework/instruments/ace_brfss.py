"""ace_brfss: the BRFSS Adverse Childhood Experiences module (11 items, 8 categories).

Scoring per ``shared/spec/instruments.md``. Item ids are the BRFSS variable names. The 11
adversity items collapse into 8 categories, each exposed when any of its items is affirmative:
yes/no items at code 1 (``ACEDIVRC`` code 8, parents not married, is an answer scored "not
exposed"), frequency items at code 2 or 3 (once, more than once). ``score`` counts exposed
categories (0-8), complete case over the 11 items, with bands 0 / 1 / 2-3 / 4+.
The option ``ace_emotional_abuse`` switches ``ACESWEAR`` to count only "more than once".

The protective items ``ACEADSAF`` and ``ACEADNED`` (2019+) are optional: they are affirmative
at code 4 or 5 and only feed their own outputs ``protective_safe_adult`` and
``protective_basic_needs``.

ACE results are for practitioners and analysis; the family-facing summary is strengths-based
and never presents an ACE count as a risk label.
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
    ScoringOption,
    Translation,
    TranslationStatus,
)
from hopeful.framework.instruments.registry import register
from hopeful.framework.instruments.scales import (
    NEVER_ONCE_MORE,
    NEVER_TO_ALL_OF_THE_TIME,
    YES_NO,
)
from hopeful.framework.text import Text

YES = frozenset({1})
ONCE_OR_MORE = frozenset({2, 3})
MORE_THAN_ONCE = frozenset({3})
MOST_OR_ALL = frozenset({4, 5})

_PARENTS_NOT_MARRIED = ResponseOption(
    8, Text(en="Parents not married", es="Mis padres no estaban casados")
)


def _yes_no(item_id: str, construct: Text, text: Text, **kw: object) -> Item:
    return Item(
        id=item_id,
        text=text,
        construct=construct,
        block=None,
        affirmative=YES,
        options=kw.pop("options", YES_NO),  # type: ignore[arg-type]
        **kw,  # type: ignore[arg-type]
    )


def _frequency(item_id: str, construct: Text, text: Text) -> Item:
    return Item(
        id=item_id,
        text=text,
        construct=construct,
        block=None,
        affirmative=ONCE_OR_MORE,
        options=NEVER_ONCE_MORE,
    )


def _protective(item_id: str, construct: Text, text: Text) -> Item:
    return Item(
        id=item_id,
        text=text,
        construct=construct,
        block="environment",
        affirmative=MOST_OR_ALL,
        options=NEVER_TO_ALL_OF_THE_TIME,
        required=False,
    )


CATEGORIES: tuple[Indicator, ...] = (
    Indicator(
        "household_mental_illness",
        ("ACEDEPRS",),
        Text(en="Household mental illness", es="Enfermedad mental en el hogar"),
        output=True,
    ),
    Indicator(
        "household_substance_use",
        ("ACEDRINK", "ACEDRUGS"),
        Text(
            en="Household substance use",
            es="Problemas con el alcohol o las drogas en el hogar",
        ),
        output=True,
    ),
    Indicator(
        "household_incarceration",
        ("ACEPRISN",),
        Text(
            en="Household member incarcerated",
            es="Una persona del hogar estuvo en la cárcel o en prisión",
        ),
        output=True,
    ),
    Indicator(
        "parental_separation",
        ("ACEDIVRC",),
        Text(en="Parental separation or divorce", es="Separación o divorcio de los padres"),
        output=True,
    ),
    Indicator(
        "witnessed_ipv",
        ("ACEPUNCH",),
        Text(
            en="Witnessed violence between adults at home",
            es="Vio violencia entre los adultos de la casa",
        ),
        output=True,
    ),
    Indicator(
        "physical_abuse",
        ("ACEHURT1",),
        Text(en="Physical abuse", es="Abuso físico"),
        output=True,
    ),
    Indicator(
        "emotional_abuse",
        ("ACESWEAR",),
        Text(en="Emotional abuse", es="Abuso emocional"),
        output=True,
    ),
    Indicator(
        "sexual_abuse",
        ("ACETOUCH", "ACETTHEM", "ACEHVSEX"),
        Text(en="Sexual abuse", es="Abuso sexual"),
        output=True,
    ),
)

PROTECTIVE: tuple[Indicator, ...] = (
    Indicator(
        "protective_safe_adult",
        ("ACEADSAF",),
        Text(
            en="An adult at home who made you feel safe (most or all of the time)",
            es=(
                "Un adulto en casa que lo (la) hacía sentir seguro(a) (la mayor parte del "
                "tiempo o todo el tiempo)"
            ),
        ),
        output=True,
    ),
    Indicator(
        "protective_basic_needs",
        ("ACEADNED",),
        Text(
            en="An adult at home who made sure your basic needs were met (most or all of the time)",
            es=(
                "Un adulto en casa que se aseguraba de que tuviera lo básico (la mayor parte "
                "del tiempo o todo el tiempo)"
            ),
        ),
        output=True,
    ),
)

ACE_BRFSS = register(
    Instrument(
        id="ace_brfss",
        version="1.0",
        title=Text(
            en="Adverse Childhood Experiences (ACE) module of the BRFSS",
            es="Módulo de Experiencias Adversas en la Infancia (EAI) de la encuesta BRFSS",
        ),
        short_title=Text(
            en="Adverse childhood experiences", es="Experiencias adversas en la infancia"
        ),
        description=Text(
            en=(
                "Eleven questions from the CDC's Behavioral Risk Factor Surveillance System "
                "(BRFSS) about hard experiences before age 18, grouped into 8 ACE categories, "
                "and two questions about an adult at home who made you feel safe and who made "
                "sure your basic needs were met. ACE results are for practitioners and "
                "analysis; the family-facing summary focuses on strengths and never presents "
                "an ACE count as a risk label."
            ),
            es=(
                "Once preguntas del Sistema de Vigilancia de Factores de Riesgo del "
                "Comportamiento (BRFSS) de los CDC sobre experiencias difíciles antes de los "
                "18 años, agrupadas en 8 categorías, y dos preguntas sobre un adulto en casa "
                "que lo (la) hacía sentir seguro(a) y que se aseguraba de que tuviera lo "
                "básico. Los resultados de EAI son para el personal profesional y para el "
                "análisis; el resumen para las familias se enfoca en las fortalezas y nunca "
                "presenta el número de EAI como una etiqueta de riesgo."
            ),
        ),
        instructions=Text(
            en="Now, looking back before you were 18 years of age—",
            es="Ahora, pensando en el tiempo antes de que usted cumpliera 18 años:",
        ),
        content_note=Text(
            en=(
                "These questions are about things that may have happened before you were 18 "
                "years old. Some of them may be hard to answer. You can skip any question: "
                'choose "Prefer not to answer". If any of this brings up difficult feelings, '
                "you can talk with your care team, or call or text 988 (Suicide & Crisis "
                "Lifeline, English and Spanish) any time."
            ),
            es=(
                "Estas preguntas son sobre cosas que pudieron haber pasado antes de que usted "
                "cumpliera 18 años. Algunas pueden ser difíciles de responder. Puede saltarse "
                'cualquier pregunta: elija "Prefiero no responder". Si algo de esto le trae '
                "sentimientos difíciles, puede hablar con su equipo de atención, o llamar o "
                "enviar un mensaje de texto al 988 (Línea de Prevención del Suicidio y Crisis, "
                "en inglés y en español) a cualquier hora."
            ),
        ),
        audience=Audience.ADULT_RETROSPECTIVE,
        items=(
            _yes_no(
                "ACEDEPRS",
                Text(
                    en="Lived with someone with mental illness",
                    es="Vivió con alguien con una enfermedad mental",
                ),
                Text(
                    en="Did you live with anyone who was depressed, mentally ill, or suicidal?",
                    es=(
                        "¿Vivió con alguna persona que estaba deprimida, que tenía una "
                        "enfermedad mental o que tenía tendencias suicidas?"
                    ),
                ),
            ),
            _yes_no(
                "ACEDRINK",
                Text(
                    en="Lived with a problem drinker",
                    es="Vivió con alguien con problemas con la bebida",
                ),
                Text(
                    en="Did you live with anyone who was a problem drinker or alcoholic?",
                    es=(
                        "¿Vivió con alguna persona que tenía problemas con la bebida o que era "
                        "alcohólica?"
                    ),
                ),
            ),
            _yes_no(
                "ACEDRUGS",
                Text(
                    en="Lived with someone who misused drugs",
                    es="Vivió con alguien que usaba drogas",
                ),
                Text(
                    en=(
                        "Did you live with anyone who used illegal street drugs or who abused "
                        "prescription medications?"
                    ),
                    es=(
                        "¿Vivió con alguna persona que usaba drogas ilegales o que abusaba de "
                        "medicamentos recetados?"
                    ),
                ),
            ),
            _yes_no(
                "ACEPRISN",
                Text(
                    en="Lived with someone who was incarcerated",
                    es="Vivió con alguien que estuvo en la cárcel",
                ),
                Text(
                    en=(
                        "Did you live with anyone who served time or was sentenced to serve "
                        "time in a prison, jail, or other correctional facility?"
                    ),
                    es=(
                        "¿Vivió con alguna persona que estuvo presa o que fue condenada a "
                        "estar presa en una prisión, una cárcel u otro centro correccional?"
                    ),
                ),
            ),
            _yes_no(
                "ACEDIVRC",
                Text(en="Parents separated or divorced", es="Padres separados o divorciados"),
                Text(
                    en="Were your parents separated or divorced?",
                    es="¿Sus padres se separaron o se divorciaron?",
                ),
                options=(*YES_NO[:2], _PARENTS_NOT_MARRIED, *YES_NO[2:]),
                note=Text(
                    en=(
                        "Choose 'Parents not married' if your parents were never married to "
                        "each other. It is counted as no separation or divorce."
                    ),
                    es=(
                        "Elija 'Mis padres no estaban casados' si sus padres nunca se casaron "
                        "entre sí. Se cuenta como que no hubo separación ni divorcio."
                    ),
                ),
            ),
            _frequency(
                "ACEPUNCH",
                Text(
                    en="Violence between adults at home",
                    es="Violencia entre los adultos de la casa",
                ),
                Text(
                    en=(
                        "How often did your parents or adults in your home ever slap, hit, "
                        "kick, punch or beat each other up?"
                    ),
                    es=(
                        "¿Con qué frecuencia sus padres u otros adultos en su casa se dieron "
                        "bofetadas, golpes, patadas o puñetazos, o se dieron una golpiza entre "
                        "ellos?"
                    ),
                ),
            ),
            _frequency(
                "ACEHURT1",
                Text(
                    en="Hurt physically by an adult at home",
                    es="Un adulto de la casa le hizo daño físico",
                ),
                Text(
                    en=(
                        "Not including spanking, (before age 18), how often did a parent or "
                        "adult in your home ever hit, beat, kick, or physically hurt you in any "
                        "way?"
                    ),
                    es=(
                        "Sin contar las nalgadas, (antes de los 18 años), ¿con qué frecuencia "
                        "uno de sus padres o un adulto en su casa le pegó, le dio una golpiza, "
                        "lo (la) pateó o le hizo daño físico de alguna otra manera?"
                    ),
                ),
            ),
            _frequency(
                "ACESWEAR",
                Text(
                    en="Sworn at, insulted or put down by an adult at home",
                    es="Un adulto de la casa lo (la) insultó o lo (la) hizo sentir menos",
                ),
                Text(
                    en=(
                        "How often did a parent or adult in your home ever swear at you, "
                        "insult you, or put you down?"
                    ),
                    es=(
                        "¿Con qué frecuencia uno de sus padres o un adulto en su casa le dijo "
                        "groserías, lo (la) insultó o lo (la) hizo sentir menos?"
                    ),
                ),
            ),
            _frequency(
                "ACETOUCH",
                Text(en="Touched sexually", es="Lo (la) tocaron de manera sexual"),
                Text(
                    en=(
                        "How often did anyone at least 5 years older than you or an adult, "
                        "ever touch you sexually?"
                    ),
                    es=(
                        "¿Con qué frecuencia alguna persona por lo menos 5 años mayor que "
                        "usted, o un adulto, lo (la) tocó de manera sexual?"
                    ),
                ),
            ),
            _frequency(
                "ACETTHEM",
                Text(
                    en="Made to touch someone sexually",
                    es="Trataron de hacer que tocara a alguien de manera sexual",
                ),
                Text(
                    en=(
                        "How often did anyone at least 5 years older than you or an adult, try "
                        "to make you touch them sexually?"
                    ),
                    es=(
                        "¿Con qué frecuencia alguna persona por lo menos 5 años mayor que "
                        "usted, o un adulto, trató de hacer que usted la tocara de manera "
                        "sexual?"
                    ),
                ),
            ),
            _frequency(
                "ACEHVSEX",
                Text(en="Forced to have sex", es="Lo (la) obligaron a tener relaciones sexuales"),
                Text(
                    en=(
                        "How often did anyone at least 5 years older than you or an adult, "
                        "force you to have sex?"
                    ),
                    es=(
                        "¿Con qué frecuencia alguna persona por lo menos 5 años mayor que "
                        "usted, o un adulto, lo (la) obligó a tener relaciones sexuales?"
                    ),
                ),
            ),
            _protective(
                "ACEADSAF",
                Text(
                    en="An adult at home who made you feel safe",
                    es="Un adulto en casa que lo (la) hacía sentir seguro(a)",
                ),
                Text(
                    en=(
                        "For how much of your childhood was there an adult in your household "
                        "who made you feel safe and protected?"
                    ),
                    es=(
                        "¿Durante cuánto tiempo de su niñez hubo un adulto en su hogar que lo "
                        "(la) hacía sentir seguro(a) y protegido(a)?"
                    ),
                ),
            ),
            _protective(
                "ACEADNED",
                Text(
                    en="An adult at home who met your basic needs",
                    es="Un adulto en casa que se ocupaba de lo básico",
                ),
                Text(
                    en=(
                        "For how much of your childhood was there an adult in your household "
                        "who tried hard to make sure your basic needs were met?"
                    ),
                    es=(
                        "¿Durante cuánto tiempo de su niñez hubo un adulto en su hogar que se "
                        "esforzaba mucho para que usted tuviera lo básico que necesitaba?"
                    ),
                ),
            ),
        ),
        indicators=CATEGORIES + PROTECTIVE,
        outputs=(
            Count(
                "score",
                tuple(c.id for c in CATEGORIES),
                Text(en="ACE categories (0-8)", es="Categorías de EAI (0-8)"),
            ),
            Band(
                "band",
                "score",
                ((0, 0, "0"), (1, 1, "1"), (2, 3, "2-3"), (4, 8, "4+")),
                Text(en="ACE group", es="Grupo de EAI"),
            ),
        ),
        options=(
            ScoringOption(
                id="ace_emotional_abuse",
                item="ACESWEAR",
                choices={"once-or-more": ONCE_OR_MORE, "more-than-once": MORE_THAN_ONCE},
                default="once-or-more",
                description=Text(
                    en=(
                        "Which ACESWEAR answers count as emotional abuse: 'once-or-more' "
                        "(Once or More than once; the default) or 'more-than-once' (only More "
                        "than once, as in some analyses). Published analyses differ; report "
                        "the choice with the results."
                    ),
                    es=(
                        "Qué respuestas de ACESWEAR cuentan como abuso emocional: "
                        "'once-or-more' (Una vez o Más de una vez; la opción por defecto) o "
                        "'more-than-once' (solo Más de una vez, como en algunos análisis). Los "
                        "estudios publicados no coinciden; indique la opción usada junto con "
                        "los resultados."
                    ),
                ),
            ),
        ),
        block_counts=False,
        translations={
            "en": Translation(
                TranslationStatus.OFFICIAL,
                (
                    "Exact CDC BRFSS 2023 codebook wording (interviewer read-outs dropped); the "
                    "content note paraphrases the module prologue."
                ),
            ),
            "es": Translation(
                TranslationStatus.UNOFFICIAL,
                (
                    "HOPEful's translation; no official Spanish text obtained (CDC publishes a "
                    "Spanish module that we have not retrieved)."
                ),
            ),
        },
        source=(
            "CDC Behavioral Risk Factor Surveillance System (BRFSS), Adverse Childhood "
            "Experiences module (Module 24 in the 2023 LLCP codebook; same variable names and "
            "wording in 2022). Categories and cut-points as in Merrick et al., MMWR 2019."
        ),
        citation=(
            "Centers for Disease Control and Prevention. Behavioral Risk Factor Surveillance "
            "System: 2023 LLCP codebook, Module 24, Adverse Childhood Experiences. Merrick MT, "
            "et al. MMWR Morb Mortal Wkly Rep 2019;68(44):999-1005."
        ),
        licence=(
            'CDC: "The questionnaires are not copyrighted, and there are no fees for their '
            'use." CDC asks for a copy of resulting articles (dvpinquiries@cdc.gov), '
            'attribution ("Source: CDC") and a non-endorsement disclaimer.'
        ),
        wording_note=(
            "Item texts are the exact BRFSS 2023 codebook wording (verified), without the "
            "interviewer read-outs 'Was it:' (ACEHURT1) and 'Would you say never, a little of "
            "the time, some of the time, most of the time, or all of the time?' (ACEADSAF, "
            "ACEADNED), because the options are shown. The content note paraphrases the "
            "module prologue (seen in a secondary copy); the 988 line replaces the phone "
            "number the interviewer gives. The 8 categories, the 0-8 score and the cut-points "
            "0 / 1 / 2-3 / 4+ are verified (Merrick et al. 2019). Scoring ACEDIVRC code 8 as "
            "not exposed is common practice (secondary); counting ACESWEAR 'once' as emotional "
            "abuse is our default, switchable with the option ace_emotional_abuse, because "
            "analyses differ (unverified which CDC uses). Older module versions word some "
            "items differently."
        ),
    )
)
