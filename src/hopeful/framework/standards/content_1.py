"""Standards 1 to 3 of HOPE-informed organizations and HOPEful's questions about each:
Bridge to HOPE, knowledge of the HOPE framework, supporting family strengths and resilience.

The standards' names are the HOPE National Resource Center's; the descriptions, questions,
answers and points are HOPEful's own design (see :mod:`hopeful.framework.standards`).
"""

from __future__ import annotations

from hopeful.framework.standards.model import Area, Standard
from hopeful.framework.standards.scale import INTAKE_OPTIONS
from hopeful.framework.standards.scale import question as _q
from hopeful.framework.text import Text

__all__ = ["STANDARDS_1_TO_3"]

_BRIDGE = "bridge_to_hope"
_KNOW = "framework_knowledge"
_STRENGTHS = "family_strengths"

STANDARDS_1_TO_3: tuple[Standard, ...] = (
    Standard(
        id=_BRIDGE,
        order=1,
        name=Text(en="Bridge to HOPE", es="Puente hacia HOPE"),
        description=Text(
            en=(
                "The organization commits to HOPE and builds a bridge to it: leadership "
                "support, people who carry the work, and an internal culture and spaces that "
                "reflect positive experiences."
            ),
            es=(
                "La organización se compromete con HOPE y tiende un puente hacia él: apoyo "
                "de la dirección, personas que impulsan el trabajo, y una cultura interna y "
                "espacios que reflejan las experiencias positivas."
            ),
        ),
        questions=(
            _q(
                _BRIDGE,
                "leadership",
                Area.POLICY,
                (
                    "Leadership has put its commitment to HOPE in writing (in the mission, "
                    "the strategic plan or a policy).",
                    "La dirección ha puesto por escrito su compromiso con HOPE (en la misión, "
                    "el plan estratégico o una política).",
                ),
                (
                    "Ask leadership to put the commitment to HOPE in writing: a line in the "
                    "strategic plan or a short policy on positive childhood experiences.",
                    "Pida a la dirección que ponga por escrito el compromiso con HOPE: una "
                    "línea en el plan estratégico o una política breve sobre las experiencias "
                    "positivas en la infancia.",
                ),
            ),
            _q(
                _BRIDGE,
                "lead_team",
                Area.PRACTICE,
                (
                    "A named person or team leads the HOPE work, with time set aside for it.",
                    "Una persona o un equipo con nombre dirige el trabajo de HOPE y tiene "
                    "tiempo asignado para ello.",
                ),
                (
                    "Name a HOPE lead or a small team and set aside time for the work every month.",
                    "Nombre a una persona o un pequeño equipo responsable de HOPE y reserve "
                    "tiempo para este trabajo cada mes.",
                ),
            ),
            _q(
                _BRIDGE,
                "facilitators",
                Area.PRACTICE,
                (
                    "Staff include HOPE Facilitators or Champions who support their colleagues.",
                    "El personal incluye Facilitadores o Campeones de HOPE que apoyan a sus "
                    "colegas.",
                ),
                (
                    "Send one or two staff members to the HOPE Facilitator training, so the "
                    "organization has its own trainers.",
                    "Inscriba a una o dos personas del personal en la capacitación de "
                    "Facilitadores de HOPE, para que la organización tenga sus propios "
                    "capacitadores.",
                ),
            ),
            _q(
                _BRIDGE,
                "spaces",
                Area.PRACTICE,
                (
                    "The spaces families see (waiting rooms, website, posters) show strengths "
                    "and positive experiences, not only risks.",
                    "Los espacios que ven las familias (salas de espera, sitio web, carteles) "
                    "muestran fortalezas y experiencias positivas, no solo riesgos.",
                ),
                (
                    "Walk through your spaces and website as a family would, and add "
                    "materials about positive experiences and the Four Building Blocks.",
                    "Recorra sus espacios y su sitio web como lo haría una familia, y agregue "
                    "materiales sobre experiencias positivas y los Cuatro Pilares.",
                ),
            ),
            _q(
                _BRIDGE,
                "staff_culture",
                Area.POLICY,
                (
                    "Staff policies (supervision, schedules, recognition) give staff the "
                    "relationships, safety and growth they offer families.",
                    "Las políticas para el personal (supervisión, horarios, reconocimiento) le "
                    "dan al personal las relaciones, la seguridad y el crecimiento que ofrece "
                    "a las familias.",
                ),
                (
                    "Review staff policies for the same building blocks you offer families: "
                    "supportive supervision, a safe workplace, belonging and growth.",
                    "Revise las políticas para el personal con los mismos pilares que ofrece a "
                    "las familias: supervisión de apoyo, un lugar de trabajo seguro, "
                    "pertenencia y crecimiento.",
                ),
            ),
        ),
    ),
    Standard(
        id=_KNOW,
        order=2,
        name=Text(en="Knowledge of the HOPE framework", es="Conocimiento del marco HOPE"),
        description=Text(
            en=(
                "Staff and leaders know the HOPE framework, positive childhood experiences "
                "and the Four Building Blocks, and use a shared language about them."
            ),
            es=(
                "El personal y la dirección conocen el marco HOPE, las experiencias "
                "positivas en la infancia y los Cuatro Pilares, y usan un lenguaje común "
                "sobre ellos."
            ),
        ),
        questions=(
            _q(
                _KNOW,
                "orientation",
                Area.POLICY,
                (
                    "New staff learn about HOPE and positive childhood experiences in their "
                    "orientation.",
                    "El personal nuevo aprende sobre HOPE y las experiencias positivas en la "
                    "infancia durante su orientación.",
                ),
                (
                    "Add an introduction to HOPE to the orientation of new staff.",
                    "Agregue una introducción a HOPE a la orientación del personal nuevo.",
                ),
            ),
            _q(
                _KNOW,
                "staff_trained",
                Area.PRACTICE,
                (
                    "Every staff member who works with families has taken an introduction to "
                    "HOPE training.",
                    "Todo el personal que trabaja con familias ha tomado una capacitación de "
                    "introducción a HOPE.",
                ),
                (
                    "Plan an Introduction to HOPE session for everyone who works with families.",
                    "Planifique una sesión de Introducción a HOPE para todas las personas que "
                    "trabajan con familias.",
                ),
            ),
            _q(
                _KNOW,
                "leaders",
                Area.PRACTICE,
                (
                    "Leaders and supervisors can explain HOPE and how it shapes the "
                    "organization's work.",
                    "La dirección y las personas supervisoras pueden explicar HOPE y cómo "
                    "orienta el trabajo de la organización.",
                ),
                (
                    "Offer leaders and supervisors a short HOPE briefing, and ask them to "
                    "present it to their teams.",
                    "Ofrezca a la dirección y a las personas supervisoras una sesión breve "
                    "sobre HOPE, y pídales que la presenten a sus equipos.",
                ),
            ),
            _q(
                _KNOW,
                "shared_language",
                Area.PRACTICE,
                (
                    "Staff use the language of positive experiences and the Four Building "
                    "Blocks in meetings, supervision and case discussions.",
                    "El personal usa el lenguaje de las experiencias positivas y los Cuatro "
                    "Pilares en reuniones, supervisión y conversaciones sobre casos.",
                ),
                (
                    "Put one HOPE question on the agenda of team meetings and supervision: "
                    "which building blocks did we grow this week?",
                    "Incluya una pregunta sobre HOPE en la agenda de las reuniones de equipo y "
                    "la supervisión: ¿qué pilares fortalecimos esta semana?",
                ),
            ),
            _q(
                _KNOW,
                "materials",
                Area.DOCUMENTATION,
                (
                    "Staff can easily find HOPE materials (handouts, conversation prompts) in "
                    "the languages of the families they serve.",
                    "El personal encuentra fácilmente materiales de HOPE (folletos, preguntas "
                    "para conversar) en los idiomas de las familias que atiende.",
                ),
                (
                    "Gather the HOPE handouts and conversation prompts in one shared place, in "
                    "every language your families speak.",
                    "Reúna los folletos y las preguntas para conversar de HOPE en un lugar "
                    "compartido, en todos los idiomas que hablan sus familias.",
                ),
            ),
        ),
    ),
    Standard(
        id=_STRENGTHS,
        order=3,
        name=Text(
            en="Supporting family strengths and resilience",
            es="Apoyo a las fortalezas y la resiliencia de las familias",
        ),
        description=Text(
            en=(
                "Forms, records and conversations look for what goes well in families and "
                "build on it, as well as on what they need."
            ),
            es=(
                "Los formularios, los registros y las conversaciones buscan lo que va bien "
                "en las familias y se apoyan en ello, además de en lo que necesitan."
            ),
        ),
        questions=(
            _q(
                _STRENGTHS,
                "intake_forms",
                Area.INTAKE_FORMS,
                (
                    "What do your intake forms ask families about?",
                    "¿Sobre qué preguntan a las familias sus formularios de admisión?",
                ),
                (
                    "Add strengths prompts to your intake forms: ask about the Four Building "
                    "Blocks (relationships, environment, engagement, emotional growth), not "
                    "only about risks and needs.",
                    "Agregue preguntas sobre fortalezas a sus formularios de admisión: "
                    "pregunte por los Cuatro Pilares (relaciones, entorno, participación, "
                    "crecimiento emocional), no solo por riesgos y necesidades.",
                ),
                options=INTAKE_OPTIONS,
            ),
            _q(
                _STRENGTHS,
                "records",
                Area.DOCUMENTATION,
                (
                    "Case notes and plans record a family's strengths and positive "
                    "experiences as well as concerns.",
                    "Las notas de caso y los planes registran las fortalezas y experiencias "
                    "positivas de la familia, además de las preocupaciones.",
                ),
                (
                    "Add a strengths section, by building block, to your case note and plan "
                    "templates.",
                    "Agregue una sección de fortalezas, por pilar, a sus plantillas de notas "
                    "de caso y de planes.",
                ),
            ),
            _q(
                _STRENGTHS,
                "family_goals",
                Area.PRACTICE,
                (
                    "Goals are set with families, in their words, building on what already "
                    "goes well.",
                    "Las metas se definen con las familias, con sus propias palabras, a partir "
                    "de lo que ya va bien.",
                ),
                (
                    "Set goals with families in their own words, starting from a strength "
                    "they name.",
                    "Defina las metas con las familias con sus propias palabras, a partir de "
                    "una fortaleza que ellas mismas nombren.",
                ),
            ),
            _q(
                _STRENGTHS,
                "celebrations",
                Area.PRACTICE,
                (
                    "Staff notice and celebrate progress and positive moments with families.",
                    "El personal reconoce y celebra con las familias sus avances y momentos "
                    "positivos.",
                ),
                (
                    "Make celebrating a family's progress a routine step of every visit or "
                    "meeting.",
                    "Haga de la celebración de los avances de la familia un paso habitual de "
                    "cada visita o reunión.",
                ),
            ),
            _q(
                _STRENGTHS,
                "referrals",
                Area.POLICY,
                (
                    "Referrals connect families to resources that create positive experiences "
                    "(parent groups, recreation, community programs), not only to crisis "
                    "services.",
                    "Las derivaciones conectan a las familias con recursos que crean "
                    "experiencias positivas (grupos de madres y padres, recreación, programas "
                    "comunitarios), no solo con servicios de crisis.",
                ),
                (
                    "Add community resources for positive experiences to your referral list, "
                    "and follow up on them like other referrals.",
                    "Agregue recursos comunitarios para experiencias positivas a su lista de "
                    "derivaciones, y deles seguimiento como a las demás derivaciones.",
                ),
            ),
        ),
    ),
)
