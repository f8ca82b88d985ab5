"""The demo's public site, as data: the site's own pages and the community toolkit, in English
and Spanish. Everything here is synthetic, written for the demo (pages say so to their
readers). The resources are in :mod:`hopeful.web.cms.demo_content_library` and
:mod:`hopeful.web.cms.demo_content_practice`, the posts in
:mod:`hopeful.web.cms.demo_content_news`, the files and images in
:mod:`hopeful.web.cms.demo_content_files`; :mod:`hopeful.web.cms.demo` loads them.

Texts are ``(English, Spanish)`` pairs. Bodies are lists of blocks: ``("heading", text)``,
``("paragraph", html)``, ``("quote", text, source)`` and ``("action", title, text, label,
slug)``, where ``slug`` names the page of the same language the action links to.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: (English, Spanish).
Text = tuple[str, str]
Body = tuple[tuple[Any, ...], ...]


@dataclass(frozen=True, slots=True)
class Section:
    """A page under the home page."""

    slug: str
    kind: str
    """standard, block, support, contact, library, news or toolkit."""
    title: Text
    intro: Text
    body: Body = ()
    menu: bool = False
    block: str = ""
    thanks: Text = ("", "")
    donate: Text = ("Donate", "Donar")


@dataclass(frozen=True, slots=True)
class Resource:
    """A resource of the library (under the library, or under the toolkit)."""

    slug: str
    format: str
    tags: str
    """Its facets' codes: "blocks; audiences; languages; age bands", space-separated."""
    days_ago: int
    """Published this many days before the day of loading."""
    title: Text
    summary: Text
    body: Text
    files: tuple[tuple[str, Text], ...] = ()
    """(leaflet key, label) of each file (:mod:`hopeful.web.cms.demo_content_files`)."""
    link: str = ""
    authors: str = ""
    """A research summary's (synthetic) authors, for its citation."""
    translated: bool = True
    """False: English only, so the site shows its "not translated yet" page."""


HOME_TITLE_ES = "HOPE: Resultados saludables a partir de experiencias positivas"

HOME_INTRO: Text = (
    "<p>HOPE (Healthy Outcomes from Positive Experiences) starts from what is going well. "
    "Warm relationships, safe places to live and play, belonging to a community and room to "
    "grow emotionally help children become healthy, connected adults, even when life is "
    "hard.</p><p>This site gathers what the HOPE network learns: resources for families and "
    "the people who work with them, news from communities, and ways to take part.</p>",
    "<p>HOPE (Resultados saludables a partir de experiencias positivas) parte de lo que va "
    "bien. Las relaciones afectuosas, los lugares seguros para vivir y jugar, el sentirse parte "
    "de una comunidad y el espacio para crecer emocionalmente ayudan a que los niños lleguen a "
    "ser adultos sanos y conectados, aun cuando la vida es difícil.</p><p>Este sitio reúne lo "
    "que aprende la red HOPE: recursos para las familias y para quienes trabajan con ellas, "
    "noticias de las comunidades y maneras de participar.</p>",
)

HOME_BODY: Body = (
    (
        "action",
        ("Answer a strengths questionnaire", "Responda un cuestionario de fortalezas"),
        (
            "A few minutes of questions about the good things in a child's life help a clinic "
            "or program see what is going well for families, and what to build on.",
            "Unos minutos de preguntas sobre las cosas buenas en la vida de un niño ayudan a una "
            "clínica o un programa a ver qué va bien para las familias y sobre qué construir.",
        ),
        ("How to take part", "Cómo participar"),
        "get-involved",
    ),
    (
        "action",
        ("Join a HOPE training", "Participe en una capacitación HOPE"),
        (
            "Free introductory sessions for clinicians, home visitors, educators and community "
            "leaders, online and in person, in English and Spanish.",
            "Sesiones introductorias gratuitas para personal clínico, visitadores domiciliarios, "
            "educadores y líderes comunitarios, en línea y en persona, en inglés y en español.",
        ),
        ("See the trainings", "Ver las capacitaciones"),
        "get-involved",
    ),
    (
        "action",
        ("Get the newsletter", "Reciba el boletín"),
        (
            "News from the network and the newest resources, once a month. No more than that.",
            "Noticias de la red y los recursos más nuevos, una vez al mes. Nada más.",
        ),
        ("Read the latest news", "Leer las últimas noticias"),
        "news",
    ),
)


def _block_body(looks: Text, helps: Text) -> Body:
    return (
        ("heading", ("What it looks like", "Cómo se ve")),
        ("paragraph", looks),
        ("heading", ("Small things that help", "Pequeñas cosas que ayudan")),
        ("paragraph", helps),
    )


SECTIONS: tuple[Section, ...] = (
    Section(
        slug="about",
        kind="standard",
        menu=True,
        title=("About HOPE", "Acerca de HOPE"),
        intro=(
            "HOPE is a way of working with children and families that notices and builds on "
            "positive childhood experiences, alongside the work of preventing harm.",
            "HOPE es una manera de trabajar con niños y familias que reconoce y fortalece las "
            "experiencias positivas de la infancia, junto con el trabajo de prevenir el daño.",
        ),
        body=(
            ("heading", ("Where HOPE comes from", "De dónde viene HOPE")),
            (
                "paragraph",
                (
                    "<p>Research on adversity taught us how much hard experiences shape health. "
                    "Research on positive experiences adds the other half: the relationships, "
                    "places and chances to belong and grow that help children thrive. HOPE puts "
                    "that half into everyday practice.</p>",
                    "<p>La investigación sobre la adversidad nos enseñó cuánto influyen las "
                    "experiencias difíciles en la salud. La investigación sobre las experiencias "
                    "positivas aporta la otra mitad: las relaciones, los lugares y las "
                    "oportunidades de pertenecer y crecer que ayudan a los niños a prosperar. "
                    "HOPE lleva esa mitad a la práctica diaria.</p>",
                ),
            ),
            ("heading", ("What the network does", "Qué hace la red")),
            (
                "paragraph",
                (
                    "<p>Clinics, home-visiting programs, schools and community groups in the "
                    "network ask families about their strengths, share what they learn, and "
                    "train one another. This site is where that work is gathered.</p>",
                    "<p>Las clínicas, los programas de visitas domiciliarias, las escuelas y los "
                    "grupos comunitarios de la red preguntan a las familias por sus fortalezas, "
                    "comparten lo que aprenden y se capacitan entre sí. Este sitio reúne ese "
                    "trabajo.</p>",
                ),
            ),
            (
                "quote",
                (
                    "When we started asking what was going well, families started telling us "
                    "things we had never heard in ten years of visits.",
                    "Cuando empezamos a preguntar qué iba bien, las familias nos contaron cosas "
                    "que nunca habíamos oído en diez años de visitas.",
                ),
                (
                    "A home visitor in the network (sample quote)",
                    "Una visitadora de la red (cita de muestra)",
                ),
            ),
        ),
    ),
    Section(
        slug="relationships",
        kind="block",
        block="relationships",
        title=("Relationships", "Relaciones"),
        intro=(
            "Children need at least one adult who sees them, listens to them and stays. Warm "
            "relationships at home and beyond are the first building block of HOPE.",
            "Los niños necesitan al menos un adulto que los vea, los escuche y se quede. Las "
            "relaciones afectuosas, en casa y fuera de ella, son el primer pilar de HOPE.",
        ),
        body=_block_body(
            (
                "<p>A parent who answers a baby's babble, a coach who knows a child's name, a "
                "grandmother who tells family stories at dinner: everyday moments of attention "
                "add up to a child's sense that they matter.</p>",
                "<p>Una madre que responde a los balbuceos de su bebé, un entrenador que sabe el "
                "nombre de cada niño, una abuela que cuenta historias de la familia en la cena: "
                "los momentos cotidianos de atención se suman y le enseñan al niño que "
                "importa.</p>",
            ),
            (
                "<ul><li>Put the phone away for ten minutes of play a day.</li><li>Ask about "
                "the best part of the day, and listen to the answer.</li><li>Help children keep "
                "in touch with the adults who love them.</li></ul>",
                "<ul><li>Guardar el teléfono durante diez minutos de juego al día.</li>"
                "<li>Preguntar cuál fue la mejor parte del día y escuchar la respuesta.</li>"
                "<li>Ayudar a los niños a mantener el contacto con los adultos que los "
                "quieren.</li></ul>",
            ),
        ),
    ),
    Section(
        slug="environment",
        kind="block",
        block="environment",
        title=("Environment", "Entorno"),
        intro=(
            "Safe, stable and fair places to live, learn and play, with basic needs met, let "
            "children spend their energy on growing instead of on getting by.",
            "Los lugares seguros, estables y justos para vivir, aprender y jugar, con las "
            "necesidades básicas cubiertas, permiten que los niños usen su energía para crecer "
            "y no solo para salir adelante.",
        ),
        body=_block_body(
            (
                "<p>A home with enough food and a regular bedtime, a park where parents feel "
                "safe letting children play, a classroom where every child is welcome: the "
                "environment is made of places and of the rules and routines that shape "
                "them.</p>",
                "<p>Un hogar con comida suficiente y una hora fija para dormir, un parque donde "
                "los padres se sienten tranquilos dejando jugar a sus hijos, un salón de clases "
                "donde todos los niños son bienvenidos: el entorno está hecho de lugares y de las "
                "reglas y rutinas que les dan forma.</p>",
            ),
            (
                "<ul><li>Keep simple routines for meals and sleep.</li><li>Know the safe "
                "places nearby: a library, a community center, a neighbor's porch.</li><li>Ask "
                "for help with basic needs early: it is a strength, not a failure.</li></ul>",
                "<ul><li>Mantener rutinas sencillas para las comidas y el sueño.</li><li>Conocer "
                "los lugares seguros cercanos: una biblioteca, un centro comunitario, el porche "
                "de un vecino.</li><li>Pedir ayuda pronto con las necesidades básicas: es una "
                "fortaleza, no un fracaso.</li></ul>",
            ),
        ),
    ),
    Section(
        slug="engagement",
        kind="block",
        block="engagement",
        title=("Engagement", "Participación"),
        intro=(
            "Belonging to something larger than the family, such as a team, a congregation, a "
            "tradition or a cause, gives children connection and a sense of purpose.",
            "Pertenecer a algo más grande que la familia, como un equipo, una congregación, una "
            "tradición o una causa, da a los niños conexión y un sentido de propósito.",
        ),
        body=_block_body(
            (
                "<p>Children who help cook for a community celebration, sing in a choir or "
                "plant a school garden learn that they have something to give, and that "
                "others count on them.</p>",
                "<p>Los niños que ayudan a cocinar para una fiesta de la comunidad, cantan en un "
                "coro o siembran un huerto escolar aprenden que tienen algo que dar y que otros "
                "cuentan con ellos.</p>",
            ),
            (
                "<ul><li>Bring children along to community events.</li><li>Let them choose "
                "one activity and stick with it for a season.</li><li>Share family and "
                "cultural traditions, and explain why they matter.</li></ul>",
                "<ul><li>Llevar a los niños a los eventos de la comunidad.</li><li>Dejar que "
                "elijan una actividad y la mantengan durante una temporada.</li><li>Compartir "
                "las tradiciones familiares y culturales, y explicar por qué son "
                "importantes.</li></ul>",
            ),
        ),
    ),
    Section(
        slug="emotional-growth",
        kind="block",
        block="emotional_growth",
        title=("Emotional growth", "Crecimiento emocional"),
        intro=(
            "Children learn to understand and manage their feelings through play, time with "
            "other children and adults who help them through hard moments.",
            "Los niños aprenden a entender y manejar sus emociones mediante el juego, el tiempo "
            "con otros niños y adultos que los acompañan en los momentos difíciles.",
        ),
        body=_block_body(
            (
                "<p>Pretend play, sharing a toy, losing a game and trying again, being "
                "comforted after a scare: these are the daily lessons of emotional growth, and "
                "they need adults who give them time and words.</p>",
                "<p>El juego simbólico, compartir un juguete, perder un juego y volver a "
                "intentarlo, recibir consuelo después de un susto: estas son las lecciones "
                "diarias del crecimiento emocional, y necesitan adultos que les den tiempo y "
                "palabras.</p>",
            ),
            (
                "<ul><li>Name feelings out loud, yours and theirs.</li><li>Make time for free "
                "play with other children.</li><li>After a hard moment, talk about what helped."
                "</li></ul>",
                "<ul><li>Nombrar las emociones en voz alta, las suyas y las de ellos.</li>"
                "<li>Dar tiempo para el juego libre con otros niños.</li><li>Después de un "
                "momento difícil, hablar de lo que ayudó.</li></ul>",
            ),
        ),
    ),
    Section(
        slug="resources",
        kind="library",
        menu=True,
        title=("Resources", "Recursos"),
        intro=(
            "Handouts, guides, videos and research summaries about positive childhood "
            "experiences, for families and for the people who work with them. Filter by "
            "building block, audience, language or a child's age.",
            "Folletos, guías, videos y resúmenes de investigación sobre las experiencias "
            "positivas de la infancia, para las familias y para quienes trabajan con ellas. "
            "Filtre por pilar, público, idioma o edad del niño.",
        ),
    ),
    Section(
        slug="news",
        kind="news",
        menu=True,
        title=("News", "Noticias"),
        intro=(
            "Stories from the network: communities, clinics and schools putting HOPE into "
            "practice, new resources and upcoming trainings.",
            "Historias de la red: comunidades, clínicas y escuelas que llevan HOPE a la "
            "práctica, recursos nuevos y próximas capacitaciones.",
        ),
    ),
    Section(
        slug="get-involved",
        kind="standard",
        menu=True,
        title=("Get involved", "Participe"),
        intro=(
            "There are many ways to take part in HOPE, from answering a few questions to "
            "hosting a conversation in your neighborhood.",
            "Hay muchas maneras de participar en HOPE, desde responder unas preguntas hasta "
            "organizar una conversación en su vecindario.",
        ),
        body=(
            ("heading", ("Answer a questionnaire", "Responda un cuestionario")),
            (
                "paragraph",
                (
                    "<p>Clinics and programs in the network invite families to answer short "
                    "questionnaires about positive experiences. Answers are confidential, and "
                    "families choose what may be shared. Ask your clinic or program for the "
                    "link.</p>",
                    "<p>Las clínicas y los programas de la red invitan a las familias a responder "
                    "cuestionarios breves sobre experiencias positivas. Las respuestas son "
                    "confidenciales y cada familia decide qué se puede compartir. Pida el enlace "
                    "a su clínica o programa.</p>",
                ),
            ),
            ("heading", ("Join a training", "Participe en una capacitación")),
            (
                "paragraph",
                (
                    "<p>Introductory trainings run every month, online and in person, in "
                    "English and Spanish. They last two hours and are free for network "
                    "members.</p>",
                    "<p>Cada mes hay capacitaciones introductorias, en línea y en persona, en "
                    "inglés y en español. Duran dos horas y son gratuitas para los miembros de "
                    "la red.</p>",
                ),
            ),
            (
                "action",
                ("Host a HOPE conversation", "Organice una conversación HOPE"),
                (
                    "Everything you need to bring neighbors together for an evening about what "
                    "helps children thrive: a guide, slides, flyers and a sign-up sheet.",
                    "Todo lo que necesita para reunir a sus vecinos una tarde y hablar de lo que "
                    "ayuda a los niños a prosperar: una guía, diapositivas, volantes y una hoja "
                    "de inscripción.",
                ),
                ("Open the community toolkit", "Abrir las herramientas para la comunidad"),
                "community-toolkit",
            ),
            ("heading", ("Stay in touch", "Manténgase en contacto")),
            (
                "paragraph",
                (
                    "<p>The newsletter brings the network's news and new resources once a "
                    "month. You can also write to us through the contact page.</p>",
                    "<p>El boletín trae las noticias de la red y los recursos nuevos una vez al "
                    "mes. También puede escribirnos desde la página de contacto.</p>",
                ),
            ),
        ),
    ),
    Section(
        slug="support",
        kind="support",
        title=("Support the work", "Apoye este trabajo"),
        intro=(
            "Gifts pay for trainings, translated materials and community conversations where "
            "they are needed most.",
            "Las donaciones pagan capacitaciones, materiales traducidos y conversaciones "
            "comunitarias donde más se necesitan.",
        ),
        body=(
            (
                "paragraph",
                (
                    "<p>A gift of any size helps. Organizations can also support the network by "
                    "hosting a training or sharing a space for a HOPE conversation.</p>",
                    "<p>Cualquier donación ayuda, sea del tamaño que sea. Las organizaciones "
                    "también pueden apoyar a la red ofreciendo una capacitación o prestando un "
                    "espacio para una conversación HOPE.</p>",
                ),
            ),
        ),
    ),
    Section(
        slug="contact",
        kind="contact",
        title=("Contact us", "Contacto"),
        intro=(
            "Questions about HOPE, the trainings or the resources? Write to us and someone "
            "from the network will answer within a few working days.",
            "¿Tiene preguntas sobre HOPE, las capacitaciones o los recursos? Escríbanos y "
            "alguien de la red le responderá en pocos días hábiles.",
        ),
        thanks=(
            "Thank you for writing. We have your message and will answer soon.",
            "Gracias por escribirnos. Recibimos su mensaje y le responderemos pronto.",
        ),
    ),
)

TOOLKIT = Section(
    slug="community-toolkit",
    kind="toolkit",
    title=("Community toolkit", "Herramientas para la comunidad"),
    intro=(
        "For community leaders who want to bring neighbors together to talk about what "
        "helps children thrive: how to host a HOPE conversation, with slides, flyers and a "
        "sign-up sheet.",
        "Para líderes comunitarios que quieren reunir a sus vecinos y hablar de lo que ayuda a "
        "los niños a prosperar: cómo organizar una conversación HOPE, con diapositivas, "
        "volantes y una hoja de inscripción.",
    ),
    body=(
        ("heading", ("How to host a HOPE conversation", "Cómo organizar una conversación HOPE")),
        (
            "paragraph",
            (
                "<p>A HOPE conversation is an evening of about ninety minutes, for ten to "
                "twenty-five people: parents, grandparents, teachers, coaches, faith leaders. "
                "It needs no expert, only a host who keeps time and makes everyone "
                "welcome.</p><ol><li>Choose a familiar place: a library room, a school "
                "cafeteria, a congregation hall.</li><li>Invite with the flyers, and collect "
                "names on the sign-up sheet.</li><li>Open with the slides: the Four Building "
                "Blocks in ten minutes.</li><li>Ask each table: what helped you as a child? "
                "What helps the children around us now?</li><li>Close with one thing the group "
                "will do together.</li></ol>",
                "<p>Una conversación HOPE es una reunión de unos noventa minutos, para diez a "
                "veinticinco personas: padres, abuelos, maestros, entrenadores, líderes "
                "religiosos. No hace falta un experto, solo alguien que coordine, cuide el "
                "tiempo y haga que todos se sientan bienvenidos.</p><ol><li>Elija un lugar "
                "conocido: una sala de la biblioteca, la cafetería de una escuela, el salón de "
                "una congregación.</li><li>Invite con los volantes y anote los nombres en la "
                "hoja de inscripción.</li><li>Empiece con las diapositivas: los cuatro pilares "
                "en diez minutos.</li><li>Pregunte en cada mesa: ¿qué le ayudó a usted de "
                "niño? ¿Qué ayuda hoy a los niños que nos rodean?</li><li>Termine con algo que "
                "el grupo hará junto.</li></ol>",
            ),
        ),
        ("heading", ("What you need", "Qué necesita")),
        (
            "paragraph",
            (
                "<ul><li>A room with tables and chairs, and a screen or a wall for the "
                "slides.</li><li>Printed flyers two weeks ahead.</li><li>Something to drink "
                "and, if you can, childcare.</li></ul>",
                "<ul><li>Una sala con mesas y sillas, y una pantalla o una pared para las "
                "diapositivas.</li><li>Volantes impresos con dos semanas de "
                "anticipación.</li><li>Algo de beber y, si es posible, cuidado de "
                "niños.</li></ul>",
            ),
        ),
        (
            "quote",
            (
                "We expected a dozen people and forty came. The grandparents did most of the "
                "talking.",
                "Esperábamos una docena de personas y llegaron cuarenta. Los abuelos fueron los "
                "que más hablaron.",
            ),
            ("A community host (sample quote)", "Una anfitriona comunitaria (cita de muestra)"),
        ),
    ),
)
