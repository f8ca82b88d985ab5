"""The demo library's files and the news illustrations, as data: one-page PDFs (English and
Spanish on the same page) and abstract drawings in the building blocks' colours, with the
alternative text each drawing needs. :mod:`hopeful.web.cms.demo` makes them."""

from __future__ import annotations

from dataclasses import dataclass

from hopeful.web.cms.demo_content import Text


@dataclass(frozen=True, slots=True)
class Leaflet:
    """A one-page PDF of the library (English and Spanish on the same page)."""

    key: str
    title: Text
    points: tuple[Text, ...]
    color: str


@dataclass(frozen=True, slots=True)
class Illustration:
    """An abstract lead image for the news (drawn by the loader)."""

    key: str
    title: str
    style: str
    """circles, hills, network, rings or arcs."""
    colors: tuple[str, ...]
    alt: Text


COLORS = {
    "relationships": "#7a1f5c",
    "environment": "#1f5f3a",
    "engagement": "#1d4f91",
    "emotional_growth": "#8a4b00",
}


#: Labels of a resource's files.
LETTER: Text = ("English and Spanish, letter size", "En inglés y español, tamaño carta")
CARDS: Text = ("Cards to print and cut out", "Tarjetas para imprimir y recortar")
SUMMARY: Text = ("Research summary, one page", "Resumen de investigación, una página")
WORKSHEET: Text = ("Worksheet to print", "Hoja de trabajo para imprimir")
HANDOUT: Text = ("Handout to print", "Folleto para imprimir")

LEAFLETS: tuple[Leaflet, ...] = (
    Leaflet(
        key="conversation-guide",
        title=("How to host a HOPE conversation", "Cómo organizar una conversación HOPE"),
        color=COLORS["engagement"],
        points=(
            ("Choose a familiar place and a date.", "Elija un lugar conocido y una fecha."),
            ("Invite with flyers two weeks ahead.", "Invite con volantes dos semanas antes."),
            ("Open with the Four Building Blocks.", "Empiece con los cuatro pilares."),
            ("Ask: what helped you as a child?", "Pregunte: ¿qué le ayudó a usted de niño?"),
            ("Close with one thing to do together.", "Termine con algo que harán juntos."),
        ),
    ),
    Leaflet(
        key="conversation-flyer",
        title=("Come to a HOPE conversation", "Venga a una conversación HOPE"),
        color=COLORS["relationships"],
        points=(
            (
                "An evening about what helps children thrive.",
                "Una tarde sobre lo que ayuda a los niños a prosperar.",
            ),
            ("Date: ____________  Place: ____________", "Fecha: ____________  Lugar: ____________"),
            ("Free. Childcare and snacks.", "Gratis. Cuidado de niños y refrigerio."),
        ),
    ),
    Leaflet(
        key="sign-up-sheet",
        title=("HOPE conversation: sign-up sheet", "Conversación HOPE: hoja de inscripción"),
        color=COLORS["engagement"],
        points=(
            (
                "Name: ______________________  Phone or email: ______________________",
                "Nombre: ______________________  Teléfono o correo: ______________________",
            ),
            (
                "Name: ______________________  Phone or email: ______________________",
                "Nombre: ______________________  Teléfono o correo: ______________________",
            ),
            (
                "Name: ______________________  Phone or email: ______________________",
                "Nombre: ______________________  Teléfono o correo: ______________________",
            ),
        ),
    ),
    Leaflet(
        key="four-building-blocks",
        title=("The Four Building Blocks of HOPE", "Los cuatro pilares de HOPE"),
        color=COLORS["relationships"],
        points=(
            (
                "Relationships: adults who see, listen and stay.",
                "Relaciones: adultos que ven, escuchan y se quedan.",
            ),
            (
                "Environment: safe, stable and fair places.",
                "Entorno: lugares seguros, estables y justos.",
            ),
            (
                "Engagement: belonging to something larger.",
                "Participación: pertenecer a algo más grande.",
            ),
            (
                "Emotional growth: play, peers and support.",
                "Crecimiento emocional: juego, amigos y apoyo.",
            ),
        ),
    ),
    Leaflet(
        key="serve-and-return",
        title=("Serve-and-return moments", "Momentos de ida y vuelta"),
        color=COLORS["relationships"],
        points=(
            (
                "Notice what your child looks at or points to.",
                "Fíjese en lo que su hijo mira o señala.",
            ),
            (
                "Answer with words, a smile or a touch.",
                "Responda con palabras, una sonrisa o una caricia.",
            ),
            ("Take turns, and wait for the reply.", "Tomen turnos y espere la respuesta."),
        ),
    ),
    Leaflet(
        key="activity-cards",
        title=("Family activity cards", "Tarjetas de actividades en familia"),
        color=COLORS["emotional_growth"],
        points=(
            ("Draw today's weather inside you.", "Dibuje el clima que tiene hoy por dentro."),
            (
                "Cook something together and name the smells.",
                "Cocinen algo juntos y nombren los olores.",
            ),
            (
                "Tell a story about when you were little.",
                "Cuente una historia de cuando era pequeño.",
            ),
            (
                "Make a list of people who help you.",
                "Hagan una lista de las personas que les ayudan.",
            ),
        ),
    ),
    Leaflet(
        key="research-brief",
        title=(
            "Research summary: positive childhood experiences",
            "Resumen de investigación: experiencias positivas de la infancia",
        ),
        color=COLORS["environment"],
        points=(
            ("What the studies asked, and whom.", "Qué preguntaron los estudios, y a quiénes."),
            ("What they found, in plain words.", "Qué encontraron, en palabras sencillas."),
            (
                "What it means for practice and policy.",
                "Qué significa para la práctica y las políticas.",
            ),
        ),
    ),
    Leaflet(
        key="safe-places-map",
        title=("A map of safe places", "Un mapa de lugares seguros"),
        color=COLORS["environment"],
        points=(
            (
                "Draw your street and the places you know.",
                "Dibuje su calle y los lugares que conoce.",
            ),
            (
                "Mark where children feel safe and welcome.",
                "Marque dónde los niños se sienten seguros y bienvenidos.",
            ),
            (
                "Add the people you can go to for help.",
                "Añada a las personas a quienes puede pedir ayuda.",
            ),
        ),
    ),
)

ILLUSTRATIONS: tuple[Illustration, ...] = (
    Illustration(
        key="circles",
        title="Four overlapping circles (demo illustration)",
        style="circles",
        colors=tuple(COLORS.values()),
        alt=(
            "Abstract illustration: four overlapping circles in plum, green, blue and amber on "
            "a cream background, one for each building block.",
            "Ilustración abstracta: cuatro círculos superpuestos en ciruela, verde, azul y "
            "ámbar sobre un fondo crema, uno por cada pilar.",
        ),
    ),
    Illustration(
        key="hills",
        title="Rolling green hills (demo illustration)",
        style="hills",
        colors=(COLORS["environment"], "#4f8f5f", "#9cc3a4"),
        alt=(
            "Abstract illustration: three layers of rolling hills in shades of green under a "
            "pale sky.",
            "Ilustración abstracta: tres capas de colinas onduladas en tonos de verde bajo un "
            "cielo claro.",
        ),
    ),
    Illustration(
        key="network",
        title="Connected dots (demo illustration)",
        style="network",
        colors=(COLORS["engagement"], "#7fa6d9"),
        alt=(
            "Abstract illustration: blue dots of different sizes joined by thin lines, like a "
            "network of neighbors.",
            "Ilustración abstracta: puntos azules de distintos tamaños unidos por líneas "
            "finas, como una red de vecinos.",
        ),
    ),
    Illustration(
        key="rings",
        title="Concentric rings (demo illustration)",
        style="rings",
        colors=(COLORS["emotional_growth"], "#d9a55b"),
        alt=(
            "Abstract illustration: concentric amber rings spreading out from a small circle, "
            "like ripples on water.",
            "Ilustración abstracta: anillos concéntricos color ámbar que se abren desde un "
            "círculo pequeño, como ondas en el agua.",
        ),
    ),
    Illustration(
        key="arcs",
        title="Two facing arcs (demo illustration)",
        style="arcs",
        colors=(COLORS["relationships"], "#c2779f"),
        alt=(
            "Abstract illustration: two plum arcs facing each other with a small pink "
            "circle between them, like a ball passed back and forth.",
            "Ilustración abstracta: dos arcos color ciruela, uno frente al otro, con un "
            "pequeño círculo rosado entre ellos, como una pelota que va y viene.",
        ),
    ),
)
