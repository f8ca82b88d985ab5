"""Standards 4 to 6 of HOPE-informed organizations and HOPEful's questions about each:
culturally resonant care, amplifying the Four Building Blocks, continuing learning and
improvement. The fifth standard asks one question per building block.

The standards' names are the HOPE National Resource Center's; the descriptions, questions,
answers and points are HOPEful's own design (see :mod:`hopeful.framework.standards`).
"""

from __future__ import annotations

from hopeful.framework.standards.model import Area, Standard
from hopeful.framework.standards.scale import block_question as _block_question
from hopeful.framework.standards.scale import question as _q
from hopeful.framework.text import Text

__all__ = ["STANDARDS_4_TO_6"]

_CULTURE = "culturally_resonant_care"
_BLOCKS = "four_building_blocks"
_LEARN = "continuing_learning"

STANDARDS_4_TO_6: tuple[Standard, ...] = (
    Standard(
        id=_CULTURE,
        order=4,
        name=Text(en="Culturally resonant care", es="Atención culturalmente resonante"),
        description=Text(
            en=(
                "Services fit the families' languages, cultures and traditions; each family "
                "decides what goes into each building block; barriers to access are found "
                "and reduced."
            ),
            es=(
                "Los servicios se adaptan a los idiomas, culturas y tradiciones de las "
                "familias; cada familia decide qué incluye en cada pilar; las barreras de "
                "acceso se identifican y se reducen."
            ),
        ),
        questions=(
            _q(
                _CULTURE,
                "languages",
                Area.INTAKE_FORMS,
                (
                    "Families can read the forms and be served in their preferred language.",
                    "Las familias pueden leer los formularios y ser atendidas en su idioma de "
                    "preferencia.",
                ),
                (
                    "Offer intake forms and key materials in the languages of the families "
                    "you serve, and interpreters when they are needed.",
                    "Ofrezca los formularios de admisión y los materiales clave en los "
                    "idiomas de las familias que atiende, e intérpretes cuando se necesiten.",
                ),
            ),
            _q(
                _CULTURE,
                "family_defines",
                Area.PRACTICE,
                (
                    "Staff ask families which experiences, traditions and customs matter to "
                    "them, and let each family decide what fills each building block.",
                    "El personal pregunta a las familias qué experiencias, tradiciones y "
                    "costumbres son importantes para ellas, y deja que cada familia decida "
                    "qué incluye en cada pilar.",
                ),
                (
                    "Ask each family what positive experiences look like in their culture, "
                    "and write them down in their words.",
                    "Pregunte a cada familia cómo son las experiencias positivas en su "
                    "cultura, y anótelas con sus propias palabras.",
                ),
            ),
            _q(
                _CULTURE,
                "forms_reviewed",
                Area.DOCUMENTATION,
                (
                    "Forms and materials have been reviewed with families or community "
                    "members for respectful, inclusive wording.",
                    "Los formularios y materiales se han revisado con familias o miembros de "
                    "la comunidad para que su lenguaje sea respetuoso e inclusivo.",
                ),
                (
                    "Review your forms and materials with a few families or a community "
                    "advisory group.",
                    "Revise sus formularios y materiales con algunas familias o con un grupo "
                    "asesor de la comunidad.",
                ),
            ),
            _q(
                _CULTURE,
                "staff",
                Area.POLICY,
                (
                    "Hiring and training aim for staff who reflect and understand the "
                    "communities served.",
                    "La contratación y la capacitación buscan un personal que refleje y "
                    "comprenda a las comunidades atendidas.",
                ),
                (
                    "Add the communities you serve to your hiring and training plans: where "
                    "you advertise, who interviews, what staff learn.",
                    "Incluya a las comunidades que atiende en sus planes de contratación y "
                    "capacitación: dónde publica las vacantes, quién entrevista, qué aprende "
                    "el personal.",
                ),
            ),
            _q(
                _CULTURE,
                "equity",
                Area.DOCUMENTATION,
                (
                    "The organization looks at who it reaches and who has access to positive "
                    "experiences, by group, to find and reduce barriers.",
                    "La organización analiza a quién llega y quién tiene acceso a "
                    "experiencias positivas, por grupo, para identificar y reducir barreras.",
                ),
                (
                    "Look at your numbers by group (language, neighborhood, age) at least "
                    "once a year, and choose one barrier to reduce.",
                    "Analice sus datos por grupo (idioma, barrio, edad) al menos una vez al "
                    "año, y elija una barrera para reducir.",
                ),
            ),
        ),
    ),
    Standard(
        id=_BLOCKS,
        order=5,
        name=Text(
            en="Amplifying the Four Building Blocks of HOPE",
            es="Ampliación de los Cuatro Pilares de HOPE",
        ),
        description=Text(
            en=(
                "Programs and practices create more opportunities for each building block: "
                "relationships, environment, engagement and emotional growth."
            ),
            es=(
                "Los programas y las prácticas crean más oportunidades en cada pilar: "
                "relaciones, entorno, participación y crecimiento emocional."
            ),
        ),
        questions=(
            _block_question(
                "relationships",
                (
                    "Relationships: practices help families build nurturing, supportive "
                    "relationships (for example asking who supports the parent, making time "
                    "together easier).",
                    "Relaciones: las prácticas ayudan a las familias a construir relaciones "
                    "afectuosas y de apoyo (por ejemplo, preguntar quién apoya a la madre o "
                    "al padre, facilitar el tiempo juntos).",
                ),
                (
                    "Add one practice that grows relationships: ask who supports the parent, "
                    "and suggest a shared family activity at each visit.",
                    "Agregue una práctica que fortalezca las relaciones: pregunte quién apoya "
                    "a la madre o al padre, y sugiera una actividad familiar compartida en "
                    "cada visita.",
                ),
            ),
            _block_question(
                "environment",
                (
                    "Environment: practices help families reach safe, stable and equitable "
                    "places to live, learn and play, with their basic needs met.",
                    "Entorno: las prácticas ayudan a las familias a contar con lugares "
                    "seguros, estables y equitativos para vivir, aprender y jugar, con sus "
                    "necesidades básicas cubiertas.",
                ),
                (
                    "Add one practice for safe, stable places: check basic needs with every "
                    "family and link them to housing, food and safe places to play.",
                    "Agregue una práctica para lugares seguros y estables: revise las "
                    "necesidades básicas con cada familia y conéctela con vivienda, "
                    "alimentación y lugares seguros para jugar.",
                ),
            ),
            _block_question(
                "engagement",
                (
                    "Engagement: practices connect families to social and civic engagement "
                    "(community groups, cultural traditions, activities where children "
                    "belong).",
                    "Participación: las prácticas conectan a las familias con la "
                    "participación social y cívica (grupos comunitarios, tradiciones "
                    "culturales, actividades donde los niños sienten que pertenecen).",
                ),
                (
                    "Add one practice for engagement: keep a list of local groups and "
                    "activities, and invite families to join one.",
                    "Agregue una práctica para la participación: mantenga una lista de grupos "
                    "y actividades locales, e invite a las familias a sumarse a uno.",
                ),
            ),
            _block_question(
                "emotional_growth",
                (
                    "Emotional growth: practices support children's emotional growth (play, "
                    "time with peers, help with difficult feelings), and parents hear why "
                    "play matters.",
                    "Crecimiento emocional: las prácticas apoyan el crecimiento emocional de "
                    "los niños (juego, tiempo con otros niños, ayuda con las emociones "
                    "difíciles), y las familias escuchan por qué el juego es importante.",
                ),
                (
                    "Add one practice for emotional growth: talk about play at every visit "
                    "and share ideas for play at home.",
                    "Agregue una práctica para el crecimiento emocional: hable del juego en "
                    "cada visita y comparta ideas para jugar en casa.",
                ),
            ),
            _q(
                _BLOCKS,
                "plans_by_block",
                Area.DOCUMENTATION,
                (
                    "Family plans and program reports are organized by the Four Building Blocks.",
                    "Los planes de las familias y los informes de los programas se organizan "
                    "según los Cuatro Pilares.",
                ),
                (
                    "Organize family plan templates and program reports by the Four Building "
                    "Blocks, so gaps in any block show.",
                    "Organice las plantillas de planes familiares y los informes de los "
                    "programas según los Cuatro Pilares, para que se vean las brechas en "
                    "cada pilar.",
                ),
            ),
        ),
    ),
    Standard(
        id=_LEARN,
        order=6,
        name=Text(
            en="Continuing learning and improvement",
            es="Aprendizaje y mejora continuos",
        ),
        description=Text(
            en=(
                "The organization keeps learning: it looks at its data and families' "
                "feedback, trains staff over time and improves with a written plan."
            ),
            es=(
                "La organización sigue aprendiendo: analiza sus datos y la opinión de las "
                "familias, capacita al personal de forma continua y mejora con un plan "
                "escrito."
            ),
        ),
        questions=(
            _q(
                _LEARN,
                "data_review",
                Area.DOCUMENTATION,
                (
                    "The organization regularly reviews data on families' positive "
                    "experiences (for example survey results) to guide its work.",
                    "La organización revisa con regularidad datos sobre las experiencias "
                    "positivas de las familias (por ejemplo, resultados de encuestas) para "
                    "orientar su trabajo.",
                ),
                (
                    "Review your families' positive experiences data every quarter with the "
                    "team, and note one thing to change.",
                    "Revise cada trimestre con el equipo los datos sobre experiencias "
                    "positivas de sus familias, y anote un cambio para hacer.",
                ),
            ),
            _q(
                _LEARN,
                "family_feedback",
                Area.PRACTICE,
                (
                    "Families are asked how the services feel to them, and their feedback "
                    "leads to changes.",
                    "Se pregunta a las familias cómo viven los servicios, y su opinión lleva "
                    "a cambios.",
                ),
                (
                    "Ask families for feedback at least twice a year and tell them what you "
                    "changed because of it.",
                    "Pida la opinión de las familias al menos dos veces al año y cuénteles qué "
                    "cambió gracias a ella.",
                ),
            ),
            _q(
                _LEARN,
                "written_plan",
                Area.POLICY,
                (
                    "A written HOPE improvement plan with owners and dates is reviewed at "
                    "least once a year.",
                    "Un plan de mejora de HOPE por escrito, con responsables y fechas, se "
                    "revisa al menos una vez al año.",
                ),
                (
                    "Turn the suggestions of this self-assessment into an improvement plan "
                    "with an owner and a date for each step.",
                    "Convierta las sugerencias de esta autoevaluación en un plan de mejora con "
                    "una persona responsable y una fecha para cada paso.",
                ),
            ),
            _q(
                _LEARN,
                "ongoing_training",
                Area.POLICY,
                (
                    "Staff keep learning about HOPE (refreshers, continuing education, "
                    "communities of practice).",
                    "El personal sigue aprendiendo sobre HOPE (actualizaciones, educación "
                    "continua, comunidades de práctica).",
                ),
                (
                    "Schedule a yearly HOPE refresher and share continuing-education courses "
                    "with staff.",
                    "Programe una actualización anual sobre HOPE y comparta cursos de "
                    "educación continua con el personal.",
                ),
            ),
            _q(
                _LEARN,
                "reassessment",
                Area.PRACTICE,
                (
                    "The organization repeats this self-assessment at least once a year to "
                    "see its progress.",
                    "La organización repite esta autoevaluación al menos una vez al año para "
                    "ver su progreso.",
                ),
                (
                    "Put the next self-assessment in the calendar, a year from now at the latest.",
                    "Agende la próxima autoevaluación, a más tardar dentro de un año.",
                ),
            ),
        ),
    ),
)
