"""The demo's news posts, in English and Spanish. Synthetic: the people, places and events are
invented for the demo (see :mod:`hopeful.web.cms.demo_content`)."""

from __future__ import annotations

from dataclasses import dataclass

from hopeful.web.cms.demo_content import Body, Text


@dataclass(frozen=True, slots=True)
class Post:
    slug: str
    days_ago: int
    authors: str
    tags: tuple[Text, ...]
    image: str
    """The key of its lead image (:data:`hopeful.web.cms.demo_content.ILLUSTRATIONS`)."""
    title: Text
    summary: Text
    body: Body
    translated: bool = True


def _p(en: str, es: str) -> tuple[str, Text]:
    return ("paragraph", (f"<p>{en}</p>", f"<p>{es}</p>" if es else ""))


POSTS: tuple[Post, ...] = (
    Post(
        slug="families-map-safe-places",
        days_ago=9,
        authors="Marisol Vega, Daniel Okafor",
        tags=(("community", "comunidad"), ("environment", "entorno")),
        image="hills",
        title=(
            "Forty families map the safe places in their neighborhood",
            "Cuarenta familias trazan el mapa de los lugares seguros de su vecindario",
        ),
        summary=(
            "On a Saturday morning at the Eastside library, children and parents drew the "
            "places where they feel safe, and the ones they avoid. The maps are now on the "
            "library's walls.",
            "Un sábado por la mañana, en la biblioteca del lado este, niños y padres dibujaron "
            "los lugares donde se sienten seguros y los que evitan. Los mapas ahora cuelgan en "
            "las paredes de la biblioteca.",
        ),
        body=(
            _p(
                "The idea came from a parents' group: before asking the city for anything, "
                "find out where children already feel at home. Forty families came, with "
                "crayons, sticky notes and a lot of opinions.",
                "La idea surgió de un grupo de padres: antes de pedirle algo a la ciudad, "
                "averiguar dónde los niños ya se sienten en casa. Llegaron cuarenta familias, "
                "con crayones, notas adhesivas y muchas opiniones.",
            ),
            _p(
                "The library, the corner bakery and the soccer field came up again and again. "
                "So did a dark underpass on the way to school, which a city council member "
                "has promised to look at.",
                "La biblioteca, la panadería de la esquina y la cancha de fútbol aparecieron "
                "una y otra vez. También un paso subterráneo oscuro camino a la escuela, que "
                "un concejal prometió revisar.",
            ),
            (
                "quote",
                (
                    "My son drew the bakery first. The owner knows his name.",
                    "Mi hijo dibujó primero la panadería. La dueña sabe su nombre.",
                ),
                (
                    "A parent at the workshop (sample quote)",
                    "Una madre en el taller (cita de muestra)",
                ),
            ),
        ),
    ),
    Post(
        slug="what-we-heard-at-hope-conversations",
        days_ago=35,
        authors="Priya Raman",
        tags=(("HOPE conversations", "conversaciones HOPE"), ("engagement", "participación")),
        image="network",
        title=(
            "What we heard at this spring's HOPE conversations",
            "Lo que escuchamos en las conversaciones HOPE de esta primavera",
        ),
        summary=(
            "Twelve conversations in six towns, more than two hundred people. Three things "
            "came up everywhere: time together, safe places to play, and adults who stay.",
            "Doce conversaciones en seis pueblos y más de doscientas personas. Tres temas "
            "surgieron en todas partes: tiempo juntos, lugares seguros para jugar y adultos que "
            "se quedan.",
        ),
        body=(
            _p(
                "We asked the same two questions at every table: what helped you as a child, "
                "and what helps the children around us now? The answers were surprisingly "
                "alike, from a church hall in the hills to a school cafeteria downtown.",
                "Hicimos las mismas dos preguntas en todas las mesas: ¿qué le ayudó a usted "
                "de niño? y ¿qué ayuda hoy a los niños que nos rodean? Las respuestas se "
                "parecían mucho, desde el salón de una iglesia en las colinas hasta la "
                "cafetería de una escuela del centro.",
            ),
            _p(
                "Many grandparents spoke of a neighbor or a teacher who believed in them. "
                "Many parents spoke of having no time. Several groups have already planned "
                "something together: a walking school bus, a monthly potluck, a homework "
                "table at the library.",
                "Muchos abuelos hablaron de un vecino o un maestro que creyó en ellos. Muchos "
                "padres hablaron de la falta de tiempo. Varios grupos ya planearon algo juntos: "
                "una caminata escolar en grupo, una comida comunitaria mensual, una mesa de "
                "tareas en la biblioteca.",
            ),
        ),
    ),
    Post(
        slug="building-blocks-handout-in-spanish",
        days_ago=62,
        authors="Lucía Paredes",
        tags=(("resources", "recursos"), ("Spanish", "español")),
        image="circles",
        title=(
            "The building-blocks handout, now in English and Spanish on one page",
            "El folleto de los pilares, ahora en inglés y en español en una sola página",
        ),
        summary=(
            "Families asked for one sheet both generations of a household can read. The new "
            "edition of the Four Building Blocks handout has both languages side by side.",
            "Las familias pidieron una sola hoja que puedan leer las dos generaciones de la "
            "casa. La nueva edición del folleto de los cuatro pilares trae ambos idiomas lado "
            "a lado.",
        ),
        body=(
            _p(
                "The Spanish text was not translated word for word: a group of parents "
                "rewrote it until it sounded like something they would say to each other.",
                "El texto en español no se tradujo palabra por palabra: un grupo de madres y "
                "padres lo reescribió hasta que sonó como algo que se dirían entre ellos.",
            ),
            _p(
                "You will find it in the resource library, ready to print on letter paper.",
                "Lo encontrará en la biblioteca de recursos, listo para imprimir en papel "
                "tamaño carta.",
            ),
        ),
    ),
    Post(
        slug="waiting-rooms-that-welcome",
        days_ago=95,
        authors="Daniel Okafor, Grace Whitfield",
        tags=(("clinics", "clínicas"), ("environment", "entorno")),
        image="circles",
        title=("Clinic waiting rooms that say welcome", "Salas de espera que dan la bienvenida"),
        summary=(
            "Three clinics in the network changed their waiting rooms for less than the cost "
            "of a new printer. Staff say families linger and talk more.",
            "Tres clínicas de la red transformaron sus salas de espera por menos de lo que "
            "cuesta una impresora nueva. El personal dice que las familias se quedan y "
            "conversan más.",
        ),
        body=(
            _p(
                "Bilingual picture books, a small rug with blocks, and new signs that begin "
                "with 'Welcome' instead of 'Do not'. That was most of it.",
                "Libros ilustrados bilingües, una alfombra pequeña con bloques y letreros "
                "nuevos que empiezan con 'Bienvenidos' en lugar de 'No'. Eso fue casi todo.",
            ),
            _p(
                "One clinic added a board where children draw what they like about their "
                "neighborhood. It fills up every week.",
                "Una clínica añadió una pizarra donde los niños dibujan lo que les gusta de su "
                "vecindario. Se llena cada semana.",
            ),
        ),
    ),
    Post(
        slug="three-questions-to-start-a-strengths-conversation",
        days_ago=120,
        authors="Grace Whitfield",
        tags=(("practice", "práctica"), ("relationships", "relaciones")),
        image="arcs",
        title=(
            "Three questions to start a strengths conversation",
            "Tres preguntas para empezar una conversación sobre fortalezas",
        ),
        summary=(
            "What makes your child laugh? Who does your family count on? What is a good day "
            "like at home? A pediatric nurse explains why she starts with these.",
            "¿Qué hace reír a su hijo? ¿Con quién cuenta su familia? ¿Cómo es un buen día en "
            "casa? Una enfermera pediátrica explica por qué empieza con estas preguntas.",
        ),
        body=(
            ("heading", ("Why start there", "Por qué empezar ahí")),
            _p(
                "Families come to a clinic braced for questions about what is wrong. Asking "
                "about what is right first changes the tone of the whole visit, and often "
                "brings out the worries sooner, not later.",
                "Las familias llegan a la clínica preparadas para preguntas sobre lo que anda "
                "mal. Preguntar primero por lo que anda bien cambia el tono de toda la consulta "
                "y, muchas veces, hace que las preocupaciones salgan antes y no después.",
            ),
            _p(
                "The questions take two minutes. The answers go into the family's file, in "
                "their words.",
                "Las preguntas toman dos minutos. Las respuestas quedan en el expediente de la "
                "familia, con sus propias palabras.",
            ),
        ),
    ),
    Post(
        slug="teens-lead-a-community-mural",
        days_ago=150,
        authors="Tomás Herrera",
        tags=(("youth", "jóvenes"), ("engagement", "participación")),
        image="rings",
        title=(
            "Teens lead a community mural project",
            "Adolescentes dirigen un proyecto de mural comunitario",
        ),
        summary=(
            "A youth council chose the theme, the wall and the colors. Sixty neighbors "
            "helped paint it over three weekends.",
            "Un consejo juvenil eligió el tema, la pared y los colores. Sesenta vecinos "
            "ayudaron a pintarlo durante tres fines de semana.",
        ),
        body=(
            _p(
                "The theme the teenagers chose was 'the people who raised us': grandmothers, "
                "coaches, a bus driver everyone knows. Each face on the wall was painted by "
                "someone who knows that person.",
                "El tema que eligieron los adolescentes fue 'las personas que nos criaron': "
                "abuelas, entrenadores, un chofer de autobús que todos conocen. Cada rostro de "
                "la pared lo pintó alguien que conoce a esa persona.",
            ),
            _p(
                "The council is already planning the next wall, and has asked the city for a "
                "small budget of its own.",
                "El consejo ya planea la próxima pared y pidió a la ciudad un pequeño "
                "presupuesto propio.",
            ),
        ),
    ),
    Post(
        slug="training-for-home-visitors",
        days_ago=180,
        authors="Marisol Vega",
        tags=(("training", "capacitación"), ("home visiting", "visitas domiciliarias")),
        image="arcs",
        title=(
            "A first look at the training for home visitors",
            "Un primer vistazo a la capacitación para visitadoras",
        ),
        summary=(
            "Twenty-two home visitors from four programs spent two mornings practicing "
            "strengths-based conversations. Here is what they found most useful.",
            "Veintidós visitadoras de cuatro programas pasaron dos mañanas practicando "
            "conversaciones basadas en fortalezas. Esto es lo que les resultó más útil.",
        ),
        body=(
            _p(
                "Role-play, by far. Practicing the first minutes of a visit with a colleague "
                "playing a tired parent made the difference between knowing the idea and "
                "being able to use it.",
                "Los juegos de roles, sin duda. Practicar los primeros minutos de una visita "
                "con una colega en el papel de una madre cansada marcó la diferencia entre "
                "conocer la idea y saber usarla.",
            ),
            _p(
                "The next sessions are in the autumn, in English and Spanish. Ask your "
                "supervisor, or write to us through the contact page.",
                "Las próximas sesiones serán en otoño, en inglés y en español. Pregunte a su "
                "supervisora o escríbanos desde la página de contacto.",
            ),
        ),
    ),
    Post(
        slug="reading-together-library-partnership",
        days_ago=215,
        authors="Lucía Paredes, Sam Becker",
        tags=(("relationships", "relaciones"), ("libraries", "bibliotecas")),
        image="circles",
        title=(
            "Reading together: stories from a library partnership",
            "Leer juntos: historias de una alianza con la biblioteca",
        ),
        summary=(
            "A clinic and a public library teamed up: every baby's check-up ends with a "
            "book, and an invitation to the library's bilingual story time.",
            "Una clínica y una biblioteca pública se unieron: cada control de un bebé termina "
            "con un libro y una invitación a la hora del cuento bilingüe de la biblioteca.",
        ),
        body=(
            _p(
                "In the first six months, story time went from a handful of families to more "
                "than thirty on a good Saturday. Librarians learned the children's names; "
                "parents met each other.",
                "En los primeros seis meses, la hora del cuento pasó de unas pocas familias a "
                "más de treinta en un buen sábado. Las bibliotecarias aprendieron los nombres "
                "de los niños y los padres se conocieron entre sí.",
            ),
            _p(
                "The books are donated; the time is what matters.",
                "Los libros son donados; lo que importa es el tiempo compartido.",
            ),
        ),
    ),
    Post(
        slug="why-positive-experiences-matter",
        days_ago=250,
        authors="Sam Becker",
        tags=(("research", "investigación"),),
        image="network",
        title=(
            "Why positive experiences matter: a short primer",
            "Por qué importan las experiencias positivas: una introducción breve",
        ),
        summary=(
            "For years, research focused on what harms children. A newer line of research "
            "asks what helps them thrive, and the answers are practical.",
            "Durante años, la investigación se centró en lo que daña a los niños. Una línea "
            "de investigación más reciente pregunta qué los ayuda a prosperar, y las "
            "respuestas son prácticas.",
        ),
        body=(
            _p(
                "Positive experiences do not erase hard ones, but they matter on their own. "
                "Adults who remember feeling safe and supported as children tend to report "
                "better health, even when they also faced adversity.",
                "Las experiencias positivas no borran las difíciles, pero tienen valor propio. "
                "Los adultos que recuerdan haberse sentido seguros y apoyados de niños suelen "
                "reportar mejor salud, aun cuando también enfrentaron adversidades.",
            ),
            _p(
                "That is good news for everyone who works with children: relationships, safe "
                "places, belonging and emotional support are things families and communities "
                "can build.",
                "Es una buena noticia para todos los que trabajan con niños: las relaciones, "
                "los lugares seguros, la pertenencia y el apoyo emocional son cosas que las "
                "familias y las comunidades pueden construir.",
            ),
        ),
    ),
    Post(
        slug="network-gathering-recap",
        days_ago=290,
        authors="Priya Raman, Tomás Herrera",
        tags=(("network", ""),),
        image="rings",
        title=("Recap: the network's autumn gathering", ""),
        summary=(
            "Member organizations met for a day to share what worked this year, and what "
            "did not. Notes, photos and next year's priorities.",
            "",
        ),
        body=(
            _p(
                "The day opened with families from two programs telling their own stories, "
                "and closed with three priorities for next year: more trainings in Spanish, "
                "a shared calendar of community events, and simpler forms.",
                "",
            ),
        ),
        translated=False,
    ),
)
