"""The demo library's resources for families and communities, and the community toolkit's own
resources. Synthetic texts written for the demo (see :mod:`hopeful.web.cms.demo_content`)."""

from __future__ import annotations

from hopeful.web.cms.demo_content import Resource
from hopeful.web.cms.demo_content_files import CARDS, HANDOUT, LETTER, WORKSHEET

#: The community toolkit's own resources (its children).
TOOLKIT_RESOURCES: tuple[Resource, ...] = (
    Resource(
        slug="how-to-host-a-hope-conversation",
        format="guide",
        tags="engagement relationships; community educators; en es; 3-5 6-12 13-18",
        days_ago=48,
        title=("How to host a HOPE conversation", "Cómo organizar una conversación HOPE"),
        summary=(
            "A step-by-step guide for an evening where neighbors talk about what helps "
            "children thrive. It covers the invitation, the room, the questions for each "
            "table and how to close with a shared plan.",
            "Una guía paso a paso para una reunión en la que los vecinos hablan de lo que "
            "ayuda a los niños a prosperar. Explica la invitación, el lugar, las preguntas "
            "para cada mesa y cómo cerrar con un plan en común.",
        ),
        body=(
            "Hosts say the hardest part is the first five minutes: the guide has an opening "
            "that gets everyone talking.",
            "Quienes organizan dicen que lo más difícil son los primeros cinco minutos: la "
            "guía trae una apertura que hace hablar a todos.",
        ),
        files=(("conversation-guide", LETTER),),
    ),
    Resource(
        slug="hope-conversation-slides",
        format="slides",
        tags="engagement emotional_growth; community; en es; 3-5 6-12 13-18",
        days_ago=47,
        title=("Slides for a HOPE conversation", "Diapositivas para una conversación HOPE"),
        summary=(
            "Twelve slides that introduce the Four Building Blocks of HOPE in ten minutes, "
            "with pictures rather than numbers. Speaker notes suggest what to say.",
            "Doce diapositivas que presentan los cuatro pilares de HOPE en diez minutos, con "
            "imágenes en lugar de cifras. Las notas sugieren qué decir en cada una.",
        ),
        body=(
            "Use them as they are or add a slide about your own neighborhood.",
            "Úselas tal como están o añada una diapositiva sobre su propio vecindario.",
        ),
        link="https://example.org/hope-conversation-slides",
    ),
    Resource(
        slug="flyer-come-to-a-hope-conversation",
        format="flyer",
        tags="engagement; community families; en es; 0-2 3-5 6-12",
        days_ago=46,
        title=("Flyer: come to a HOPE conversation", "Volante: venga a una conversación HOPE"),
        summary=(
            "A flyer to invite neighbors, with space to write the date and the place. "
            "English on one half, Spanish on the other.",
            "Un volante para invitar a los vecinos, con espacio para escribir la fecha y el "
            "lugar. En inglés en una mitad y en español en la otra.",
        ),
        body=(
            "Post it where families already go: the laundromat, the clinic, the corner store.",
            "Péguelo donde las familias ya van: la lavandería, la clínica, la tienda de la "
            "esquina.",
        ),
        files=(("conversation-flyer", LETTER),),
    ),
    Resource(
        slug="flyer-four-building-blocks",
        format="flyer",
        tags="relationships environment; community families; en es; 0-2 3-5 6-12",
        days_ago=45,
        title=(
            "Flyer: the Four Building Blocks at a glance",
            "Volante: los cuatro pilares de un vistazo",
        ),
        summary=(
            "One page with the Four Building Blocks of HOPE in a sentence each, to hand out "
            "at the end of a conversation or to leave on a table.",
            "Una página con los cuatro pilares de HOPE, cada uno en una frase, para repartir "
            "al final de una conversación o dejar sobre una mesa.",
        ),
        body=(
            "Printed in color it makes a small poster for a waiting room.",
            "Impreso a color sirve como pequeño cartel para una sala de espera.",
        ),
        files=(("four-building-blocks", LETTER),),
    ),
    Resource(
        slug="hope-conversation-sign-up-sheet",
        format="handout",
        tags="engagement; community; en es; 6-12 13-18",
        days_ago=44,
        title=(
            "Sign-up sheet for a HOPE conversation",
            "Hoja de inscripción para una conversación HOPE",
        ),
        summary=(
            "A sheet to collect the names and contact details of people who want to come, "
            "or to hear about the next conversation.",
            "Una hoja para anotar los nombres y datos de contacto de quienes quieren venir o "
            "recibir aviso de la próxima conversación.",
        ),
        body=(
            "Keep the sheets safe and use the details only to invite people again.",
            "Guarde las hojas en un lugar seguro y use los datos solo para volver a invitar.",
        ),
        files=(("sign-up-sheet", WORKSHEET),),
    ),
)

#: Resources for families and communities, directly under the library.
FAMILY_RESOURCES: tuple[Resource, ...] = (
    Resource(
        slug="serve-and-return-at-bedtime",
        format="handout",
        tags="relationships; families practitioners; en es; 0-2 3-5",
        days_ago=6,
        title=(
            "Serve-and-return moments at bedtime",
            "Momentos de ida y vuelta a la hora de dormir",
        ),
        summary=(
            "Bedtime is full of small chances to connect: a question, a song, a story. This "
            "handout shows parents of babies and toddlers how to notice their child's "
            "'serves' and answer them, in five minutes a night.",
            "La hora de dormir está llena de pequeñas oportunidades para conectar: una "
            "pregunta, una canción, un cuento. Este folleto muestra a los padres de bebés y "
            "niños pequeños cómo notar lo que su hijo les 'lanza' y responder, en cinco "
            "minutos cada noche.",
        ),
        body=(
            "Home visitors use it as a conversation starter rather than as homework.",
            "Las visitadoras lo usan para iniciar una conversación, no como tarea.",
        ),
        files=(("serve-and-return", LETTER),),
    ),
    Resource(
        slug="making-a-map-of-safe-places",
        format="guide",
        tags="environment engagement; families community educators; en es; 6-12 13-18",
        days_ago=21,
        title=(
            "Making a neighborhood map of safe places",
            "Cómo hacer un mapa de los lugares seguros del vecindario",
        ),
        summary=(
            "Children and adults draw their neighborhood together and mark the places where "
            "children feel safe and welcome. The map starts conversations about what is "
            "missing, and who can help.",
            "Niños y adultos dibujan juntos su vecindario y marcan los lugares donde los niños "
            "se sienten seguros y bienvenidos. El mapa abre conversaciones sobre lo que falta "
            "y sobre quién puede ayudar.",
        ),
        body=(
            "Works in a classroom, a youth group or a family's kitchen table.",
            "Funciona en un salón de clases, un grupo juvenil o la mesa de la cocina.",
        ),
        files=(("safe-places-map", WORKSHEET),),
    ),
    Resource(
        slug="talking-with-teens-about-feelings",
        format="handout",
        tags="emotional_growth relationships; families educators; en es; 13-18",
        days_ago=33,
        title=("Talking with teens about feelings", "Cómo hablar de emociones con adolescentes"),
        summary=(
            "Teenagers often talk more in the car or while cooking than face to face. This "
            "handout suggests openings, ways to listen without fixing, and what to do when a "
            "conversation gets hard.",
            "Los adolescentes suelen hablar más en el auto o mientras cocinan que frente a "
            "frente. Este folleto sugiere cómo empezar, cómo escuchar sin querer arreglarlo "
            "todo y qué hacer cuando la conversación se pone difícil.",
        ),
        body=(
            "Written with a group of parents and two school counselors.",
            "Escrito con un grupo de padres y dos consejeras escolares.",
        ),
        files=(("activity-cards", HANDOUT),),
    ),
    Resource(
        slug="reading-together-every-day",
        format="handout",
        tags="relationships; families; en es; 0-2 3-5",
        days_ago=58,
        title=("Reading together every day", "Leer juntos todos los días"),
        summary=(
            "Reading aloud is less about the words than about sitting close and taking "
            "turns. Ideas for reading with babies, with toddlers who will not sit still, and "
            "without books at all.",
            "Leer en voz alta tiene menos que ver con las palabras que con sentarse juntos y "
            "tomar turnos. Ideas para leer con bebés, con niños pequeños que no se quedan "
            "quietos y hasta sin libros.",
        ),
        body=(
            "Includes a list of free story times at public libraries.",
            "Incluye una lista de horas del cuento gratuitas en las bibliotecas públicas.",
        ),
        files=(("serve-and-return", LETTER),),
    ),
    Resource(
        slug="family-meals-as-connection",
        format="handout",
        tags="relationships environment; families; en es; 3-5 6-12 13-18",
        days_ago=74,
        title=(
            "Family meals as a time to connect",
            "Las comidas en familia como momento de encuentro",
        ),
        summary=(
            "Shared meals, even short ones and even a few times a week, give children a "
            "predictable time to be heard. Simple conversation games for the table, for "
            "every age.",
            "Las comidas compartidas, aunque sean cortas y solo algunas veces por semana, dan "
            "a los niños un momento predecible para ser escuchados. Juegos de conversación "
            "sencillos para la mesa, para todas las edades.",
        ),
        body=(
            "Breakfast counts too, and so does a picnic on the floor.",
            "El desayuno también cuenta, y un picnic en el piso también.",
        ),
        files=(("activity-cards", CARDS),),
    ),
    Resource(
        slug="naming-feelings-with-toddlers",
        format="handout",
        tags="emotional_growth; families practitioners; en es; 0-2 3-5",
        days_ago=96,
        title=(
            "Naming feelings with toddlers",
            "Ponerle nombre a las emociones con niños pequeños",
        ),
        summary=(
            "Toddlers feel big things before they have words for them. Simple phrases help "
            "them name feelings, and picture cards help them point when words fail.",
            "Los niños pequeños sienten cosas muy grandes antes de tener palabras para "
            "ellas. Unas frases sencillas les ayudan a nombrar lo que sienten, y las tarjetas "
            "con dibujos les permiten señalar cuando faltan las palabras.",
        ),
        body=(
            "The cards are bilingual, so siblings and grandparents can use them too.",
            "Las tarjetas son bilingües, para que hermanos y abuelos también las usen.",
        ),
        files=(("activity-cards", CARDS),),
    ),
    Resource(
        slug="community-traditions-and-belonging",
        format="video",
        tags="engagement; community families; en es; 6-12 13-18",
        days_ago=118,
        title=("Community traditions and belonging", "Tradiciones comunitarias y pertenencia"),
        summary=(
            "A twelve-minute video with three communities that keep their traditions alive "
            "with children: a dance group, a harvest festival and a neighborhood soccer "
            "league.",
            "Un video de doce minutos con tres comunidades que mantienen vivas sus "
            "tradiciones con los niños: un grupo de danza, una fiesta de la cosecha y una "
            "liga de fútbol del barrio.",
        ),
        body=(
            "With subtitles in English and Spanish.",
            "Con subtítulos en inglés y en español.",
        ),
        link="https://example.org/videos/community-traditions",
    ),
    Resource(
        slug="playground-play-and-friendship",
        format="flyer",
        tags="emotional_growth environment; families community; es; 3-5 6-12",
        days_ago=139,
        title=("Play, playgrounds and friendship", "Juego, parques y amistad"),
        summary=(
            "A flyer for parks and recreation centers: why free play with other children "
            "matters, and how adults can make room for it without taking over.",
            "Un volante para parques y centros recreativos: por qué importa el juego libre "
            "con otros niños y cómo pueden los adultos darle espacio sin tomar el control.",
        ),
        body=(
            "Written first in Spanish, for a Spanish-speaking parents' group.",
            "Escrito primero en español, para un grupo de padres hispanohablantes.",
        ),
        files=(("four-building-blocks", LETTER),),
    ),
    Resource(
        slug="calm-corners-at-home-and-school",
        format="handout",
        tags="environment emotional_growth; families educators; en es; 3-5 6-12",
        days_ago=163,
        title=("Calm corners at home and at school", "Rincones de calma en casa y en la escuela"),
        summary=(
            "A calm corner is a small, cozy place a child chooses to go when feelings run "
            "high. How to set one up with what you have, and how it differs from a "
            "time-out.",
            "Un rincón de calma es un lugar pequeño y acogedor al que el niño elige ir cuando "
            "las emociones se desbordan. Cómo armarlo con lo que tenga en casa y en qué se "
            "diferencia de un castigo.",
        ),
        body=(
            "Teachers in two schools of the network tried it for a term.",
            "Maestros de dos escuelas de la red lo probaron durante un trimestre.",
        ),
        files=(("activity-cards", HANDOUT),),
    ),
    Resource(
        slug="library-story-time-for-families",
        format="flyer",
        tags="engagement relationships; families community; en es; 0-2 3-5",
        days_ago=187,
        title=("Story time at the library", "La hora del cuento en la biblioteca"),
        summary=(
            "A flyer libraries can adapt to invite families to bilingual story times, with a "
            "short note on why reading together and meeting other families both matter.",
            "Un volante que las bibliotecas pueden adaptar para invitar a las familias a la "
            "hora del cuento bilingüe, con una nota breve sobre por qué importan tanto leer "
            "juntos como conocer a otras familias.",
        ),
        body=(
            "Leave space at the bottom for the library's own times and address.",
            "Deje espacio abajo para el horario y la dirección de la biblioteca.",
        ),
        files=(("conversation-flyer", LETTER),),
    ),
    Resource(
        slug="what-helps-after-a-hard-day",
        format="video",
        tags="emotional_growth; families; es; 6-12",
        days_ago=212,
        title=("What helps after a hard day", "Qué ayuda después de un día difícil"),
        summary=(
            "Parents share, in Spanish, what they do when a child comes home upset: a snack "
            "first, a walk, a drawing, a talk at bedtime. Eight minutes, filmed at a "
            "community center.",
            "Madres y padres cuentan, en español, qué hacen cuando su hijo llega a casa "
            "molesto: primero algo de comer, una caminata, un dibujo, una charla antes de "
            "dormir. Ocho minutos, grabados en un centro comunitario.",
        ),
        body=(
            "English subtitles are on the way.",
            "Pronto tendrá subtítulos en inglés.",
        ),
        link="https://example.org/videos/after-a-hard-day",
    ),
    Resource(
        slug="grandparents-and-kin-as-anchors",
        format="handout",
        tags="relationships; families community; en es; 3-5 6-12 13-18",
        days_ago=236,
        title=("Grandparents and kin as anchors", "Abuelos y familiares como ancla"),
        summary=(
            "Grandparents, aunts, uncles and family friends can be the steady adult a child "
            "needs. Ideas for staying close across distance, and for kin who are raising "
            "children themselves.",
            "Los abuelos, los tíos y los amigos de la familia pueden ser el adulto estable "
            "que un niño necesita. Ideas para mantenerse cerca a la distancia, y para los "
            "familiares que crían a los niños.",
        ),
        body=(
            "Includes a page of local support groups for kinship caregivers.",
            "Incluye una página de grupos de apoyo locales para familiares que crían.",
        ),
        files=(("four-building-blocks", LETTER),),
    ),
    Resource(
        slug="volunteering-with-your-child",
        format="handout",
        tags="engagement; families; en es; 6-12 13-18",
        days_ago=259,
        title=("Volunteering with your child", "Hacer voluntariado con sus hijos"),
        summary=(
            "Helping others side by side teaches children that they have something to give. "
            "Ideas that fit into a busy week, from a food bank shift to reading to younger "
            "children.",
            "Ayudar a otros juntos enseña a los niños que tienen algo que dar. Ideas que "
            "caben en una semana ocupada, desde un turno en el banco de alimentos hasta leerles "
            "a niños más pequeños.",
        ),
        body=(
            "Let the child choose the cause: it makes all the difference.",
            "Deje que el niño elija la causa: eso marca toda la diferencia.",
        ),
        files=(("activity-cards", HANDOUT),),
    ),
    Resource(
        slug="neighborhood-walks-toolkit",
        format="toolkit",
        tags="environment engagement; community; en es; 6-12 13-18",
        days_ago=283,
        title=("Neighborhood walks with children", "Paseos por el vecindario con niños"),
        summary=(
            "A toolkit for community groups that lead walks with children to look at their "
            "neighborhood with fresh eyes: what they like, what scares them, what they would "
            "change.",
            "Un conjunto de herramientas para grupos comunitarios que organizan paseos con "
            "niños para mirar su vecindario con otros ojos: qué les gusta, qué les da miedo, "
            "qué cambiarían.",
        ),
        body=(
            "With a route planner, a photo consent form and a worksheet for the walk.",
            "Con un planificador de rutas, un formulario de permiso para fotos y una hoja de "
            "trabajo para el paseo.",
        ),
        files=(("safe-places-map", WORKSHEET), ("four-building-blocks", LETTER)),
    ),
    Resource(
        slug="sleep-routines-that-connect",
        format="handout",
        tags="relationships environment; families; es; 0-2",
        days_ago=318,
        title=("Sleep routines that connect", "Rutinas de sueño que nos acercan"),
        summary=(
            "A predictable bedtime with a bath, a song and a few quiet words helps babies "
            "sleep and helps parents and babies know each other. A Spanish handout with "
            "pictures.",
            "Una hora de dormir predecible, con baño, canción y unas palabras tranquilas, "
            "ayuda a los bebés a dormir y a que padres y bebés se conozcan. Un folleto en "
            "español con ilustraciones.",
        ),
        body=(
            "Made with a group of first-time mothers at a community clinic.",
            "Hecho con un grupo de madres primerizas en una clínica comunitaria.",
        ),
        files=(("serve-and-return", LETTER),),
    ),
    Resource(
        slug="celebrating-small-wins",
        format="flyer",
        tags="emotional_growth; families; en es; 3-5 6-12",
        days_ago=377,
        title=("Celebrating small wins", "Celebrar los pequeños logros"),
        summary=(
            "Noticing effort, not only results, helps children keep trying. A flyer with "
            "phrases that celebrate effort, for the fridge door.",
            "Reconocer el esfuerzo, y no solo los resultados, ayuda a los niños a seguir "
            "intentando. Un volante con frases que celebran el esfuerzo, para la puerta del "
            "refrigerador.",
        ),
        body=(
            "Parents in the network added their own favorite phrases.",
            "Madres y padres de la red añadieron sus frases favoritas.",
        ),
        files=(("activity-cards", CARDS),),
    ),
    Resource(
        slug="peer-support-for-parents",
        format="guide",
        tags="relationships emotional_growth; families community; en es; 0-2 3-5",
        days_ago=446,
        title=("Peer support groups for parents", "Grupos de apoyo entre padres"),
        summary=(
            "Parents who support each other have more patience for their children. A guide "
            "to starting a small group that meets every other week, with topics for the "
            "first six meetings.",
            "Los padres que se apoyan entre sí tienen más paciencia con sus hijos. Una guía "
            "para empezar un grupo pequeño que se reúna cada dos semanas, con temas para las "
            "primeras seis reuniones.",
        ),
        body=(
            "Groups in the network meet in clinics, churches and apartment buildings.",
            "Los grupos de la red se reúnen en clínicas, iglesias y edificios de apartamentos.",
        ),
        files=(("conversation-guide", LETTER),),
    ),
    Resource(
        slug="sports-arts-and-belonging",
        format="handout",
        tags="engagement emotional_growth; families community educators; en es; 6-12 13-18",
        days_ago=512,
        title=("Sports, arts and belonging", "Deporte, arte y pertenencia"),
        summary=(
            "A team, a band or a drama club can give a child a second family. How to find "
            "low-cost activities, and how to help a child who wants to quit after two "
            "weeks.",
            "Un equipo, una banda o un grupo de teatro pueden darle a un niño una segunda "
            "familia. Cómo encontrar actividades de bajo costo y cómo ayudar a un niño que "
            "quiere dejarlo a las dos semanas.",
        ),
        body=(
            "Coaches and art teachers can hand it out at the start of a season.",
            "Entrenadores y maestros de arte pueden repartirlo al empezar la temporada.",
        ),
        files=(("four-building-blocks", LETTER),),
    ),
)
