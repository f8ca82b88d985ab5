"""The demo library's resources for practitioners, educators and policymakers: research
summaries, videos, toolkits and guides. Synthetic texts written for the demo (see
:mod:`hopeful.web.cms.demo_content`); the research summaries' citations are invented too."""

from __future__ import annotations

from hopeful.web.cms.demo_content import Resource
from hopeful.web.cms.demo_content_files import (
    CARDS,
    HANDOUT,
    LETTER,
    SUMMARY,
    WORKSHEET,
)

PRACTICE_RESOURCES: tuple[Resource, ...] = (
    Resource(
        slug="positive-experiences-and-adult-health",
        format="research",
        tags="relationships emotional_growth; practitioners policymakers; en; 6-12 13-18",
        days_ago=12,
        title=(
            "Positive childhood experiences and adult health",
            "Experiencias positivas de la infancia y salud en la edad adulta",
        ),
        summary=(
            "A one-page summary of studies that asked adults about warm relationships and "
            "belonging in childhood. Adults who recalled more positive experiences reported "
            "better mental health, whatever their hard experiences.",
            "Un resumen de una página de estudios que preguntaron a adultos por las relaciones "
            "afectuosas y la pertenencia en su infancia. Quienes recordaban más experiencias "
            "positivas tenían mejor salud mental, fueran cuales fueran sus experiencias "
            "difíciles.",
        ),
        body=(
            "The summary explains what the studies can and cannot say.",
            "El resumen explica qué pueden y qué no pueden decir estos estudios.",
        ),
        files=(("research-brief", SUMMARY),),
        authors="Sample Author A, Sample Author B",
    ),
    Resource(
        slug="home-visits-that-start-with-strengths",
        format="video",
        tags="relationships; practitioners; en; prenatal 0-2",
        days_ago=27,
        title=(
            "Home visits that start with strengths",
            "Visitas domiciliarias que empiezan por las fortalezas",
        ),
        summary=(
            "Two home visitors role-play the first ten minutes of a visit, once starting "
            "with problems and once starting with what is going well. A short discussion "
            "follows.",
            "Dos visitadoras representan los primeros diez minutos de una visita: una vez "
            "empezando por los problemas y otra empezando por lo que va bien. Sigue una "
            "breve conversación.",
        ),
        body=(
            "Good for team meetings: watch it together and talk about your own openings.",
            "Sirve para reuniones de equipo: véanlo juntos y hablen de cómo empiezan ustedes.",
        ),
        link="https://example.org/videos/strengths-first-visits",
    ),
    Resource(
        slug="classroom-belonging-toolkit",
        format="toolkit",
        tags="engagement emotional_growth; educators; en es; 6-12",
        days_ago=40,
        title=(
            "A toolkit for belonging in the classroom",
            "Herramientas para la pertenencia en el aula",
        ),
        summary=(
            "Morning circles, classroom jobs and a buddy system: small routines that help "
            "every child feel part of the class. With activity cards and a plan for the "
            "first month of school.",
            "Círculos por la mañana, responsabilidades en el aula y compañeros de apoyo: "
            "pequeñas rutinas que ayudan a que cada niño se sienta parte del grupo. Con "
            "tarjetas de actividades y un plan para el primer mes de clases.",
        ),
        body=(
            "Tried by teachers of second to fifth grade in two school districts.",
            "Probado por maestros de segundo a quinto grado en dos distritos escolares.",
        ),
        files=(("activity-cards", CARDS), ("four-building-blocks", LETTER)),
    ),
    Resource(
        slug="safe-stable-homes-research-summary",
        format="research",
        tags="environment; policymakers practitioners; en; 0-2 3-5 6-12",
        days_ago=64,
        title=(
            "Safe and stable homes: what the research says",
            "Hogares seguros y estables: qué dice la investigación",
        ),
        summary=(
            "Stable housing, enough food and predictable routines give children room to "
            "grow. A summary of research on the home environment and children's wellbeing, "
            "with questions for program planners.",
            "La vivienda estable, la comida suficiente y las rutinas predecibles dan a los "
            "niños espacio para crecer. Un resumen de la investigación sobre el entorno del "
            "hogar y el bienestar infantil, con preguntas para quienes planifican "
            "programas.",
        ),
        body=(
            "Written for program managers and local officials.",
            "Escrito para responsables de programas y autoridades locales.",
        ),
        files=(("research-brief", SUMMARY),),
        authors="Sample Author C, Sample Author D, Sample Author E",
    ),
    Resource(
        slug="prenatal-conversations-about-support",
        format="guide",
        tags="relationships; practitioners; en es; prenatal 0-2",
        days_ago=85,
        title=("Prenatal conversations about support", "Conversaciones prenatales sobre el apoyo"),
        summary=(
            "Questions midwives and prenatal nurses can ask about who will be there for the "
            "family after the birth, and how to help expectant parents widen their circle "
            "of support.",
            "Preguntas que parteras y enfermeras prenatales pueden hacer sobre quién estará "
            "con la familia después del parto, y cómo ayudar a los futuros padres a ampliar "
            "su círculo de apoyo.",
        ),
        body=(
            "Fits into a routine prenatal visit in about five minutes.",
            "Cabe en una consulta prenatal de rutina en unos cinco minutos.",
        ),
        files=(("serve-and-return", LETTER),),
    ),
    Resource(
        slug="strengths-based-screening-guide",
        format="guide",
        tags="relationships emotional_growth; practitioners; en; 0-2 3-5 6-12",
        days_ago=105,
        title=(
            "A guide to strengths-based screening",
            "Guía para una evaluación basada en fortalezas",
        ),
        summary=(
            "How clinics can add questions about positive experiences to their routine "
            "screening, talk about the answers with families and record them with care.",
            "Cómo pueden las clínicas añadir preguntas sobre experiencias positivas a su "
            "evaluación de rutina, conversar sobre las respuestas con las familias y "
            "registrarlas con cuidado.",
        ),
        body=(
            "With sample scripts for the front desk, nurses and clinicians.",
            "Con guiones de ejemplo para la recepción, la enfermería y el personal clínico.",
        ),
        files=(("four-building-blocks", LETTER),),
    ),
    Resource(
        slug="youth-voice-in-community-projects",
        format="toolkit",
        tags="engagement; community educators; en es; 13-18",
        days_ago=128,
        title=(
            "Youth voice in community projects",
            "La voz de los jóvenes en los proyectos comunitarios",
        ),
        summary=(
            "Teenagers who help decide, and not only help out, stay involved. A toolkit for "
            "groups that want young people on their planning teams, with a sample agenda "
            "and ground rules.",
            "Los adolescentes que ayudan a decidir, y no solo a hacer, se mantienen "
            "involucrados. Herramientas para grupos que quieren jóvenes en sus equipos de "
            "planificación, con una agenda de ejemplo y normas de convivencia.",
        ),
        body=(
            "Two youth councils in the network reviewed it.",
            "Dos consejos juveniles de la red lo revisaron.",
        ),
        files=(("conversation-guide", LETTER), ("sign-up-sheet", WORKSHEET)),
    ),
    Resource(
        slug="mentoring-relationships-research-summary",
        format="research",
        tags="relationships engagement; policymakers community; en; 6-12 13-18",
        days_ago=150,
        title=(
            "Mentoring relationships: a research summary",
            "Relaciones de mentoría: resumen de investigación",
        ),
        summary=(
            "What makes a mentoring relationship last, according to studies of community "
            "and school programs: regular meetings, shared activities and the mentor's "
            "steadiness over time.",
            "Qué hace que una relación de mentoría perdure, según estudios de programas "
            "comunitarios y escolares: encuentros regulares, actividades compartidas y la "
            "constancia del mentor a lo largo del tiempo.",
        ),
        body=(
            "Includes what programs can do when a match ends early.",
            "Incluye qué pueden hacer los programas cuando una relación termina antes de tiempo.",
        ),
        files=(("research-brief", SUMMARY),),
        authors="Sample Author F, Sample Author A",
    ),
    Resource(
        slug="housing-stability-and-childhood",
        format="research",
        tags="environment; policymakers; en; 0-2 6-12",
        days_ago=175,
        title=("Housing stability and childhood: a research summary", ""),
        summary=(
            "Moving often, especially when it is not chosen, makes it harder for children to "
            "keep friends, teachers and routines. A summary of research on housing stability "
            "and what local programs have tried.",
            "",
        ),
        body=("Not translated yet: the Spanish edition is being reviewed.", ""),
        files=(("research-brief", SUMMARY),),
        authors="Sample Author G, Sample Author C",
        translated=False,
    ),
    Resource(
        slug="welcoming-waiting-rooms",
        format="guide",
        tags="environment; practitioners; en; 0-2 3-5",
        days_ago=199,
        title=("Welcoming waiting rooms", ""),
        summary=(
            "A waiting room says a lot before anyone speaks. Low-cost changes clinics have "
            "made: books in several languages, a play corner, signs that greet families "
            "rather than warn them.",
            "",
        ),
        body=("With before-and-after photos from three clinics.", ""),
        files=(("four-building-blocks", LETTER),),
        translated=False,
    ),
    Resource(
        slug="play-based-learning-research-summary",
        format="research",
        tags="emotional_growth engagement; educators policymakers; en; 3-5",
        days_ago=224,
        title=(
            "Play-based learning: a research summary",
            "Aprendizaje a través del juego: resumen de investigación",
        ),
        summary=(
            "Studies of preschool classrooms suggest that guided play supports both early "
            "learning and social skills. This summary describes the main findings and their "
            "limits.",
            "Los estudios en aulas preescolares sugieren que el juego guiado favorece tanto "
            "el aprendizaje temprano como las habilidades sociales. Este resumen describe los "
            "principales hallazgos y sus límites.",
        ),
        body=(
            "With examples of guided play from preschools in the network.",
            "Con ejemplos de juego guiado en preescolares de la red.",
        ),
        files=(("research-brief", SUMMARY),),
        authors="Sample Author H, Sample Author B, Sample Author D",
    ),
    Resource(
        slug="an-introduction-to-hope",
        format="video",
        tags="relationships emotional_growth; practitioners educators; en es; 0-2 3-5 6-12",
        days_ago=270,
        title=("An introduction to HOPE in ten minutes", "Introducción a HOPE en diez minutos"),
        summary=(
            "The Four Building Blocks of HOPE explained with everyday examples from a clinic, "
            "a classroom and a neighborhood. A good start for new staff and volunteers.",
            "Los cuatro pilares de HOPE explicados con ejemplos cotidianos de una clínica, un "
            "salón de clases y un vecindario. Un buen comienzo para personal nuevo y "
            "voluntarios.",
        ),
        body=(
            "In English, with a Spanish version of the same length.",
            "En inglés, con una versión en español de la misma duración.",
        ),
        link="https://example.org/videos/introduction-to-hope",
    ),
    Resource(
        slug="teen-advisory-groups",
        format="guide",
        tags="engagement; community educators policymakers; en; 13-18",
        days_ago=300,
        title=("Teen advisory groups", "Grupos asesores de adolescentes"),
        summary=(
            "How city agencies and school boards can set up advisory groups of teenagers "
            "that are heard, paid for their time and told what came of their advice.",
            "Cómo pueden las agencias municipales y las juntas escolares formar grupos "
            "asesores de adolescentes que sean escuchados, reciban un pago por su tiempo y "
            "sepan qué se hizo con sus consejos.",
        ),
        body=(
            "With a sample charter and a year's calendar of meetings.",
            "Con un reglamento de ejemplo y un calendario de reuniones para un año.",
        ),
        files=(("conversation-guide", LETTER),),
    ),
    Resource(
        slug="emotion-coaching-for-caregivers",
        format="video",
        tags="emotional_growth; families practitioners; en; 3-5 6-12",
        days_ago=345,
        title=("Emotion coaching for caregivers", "Acompañar las emociones: video para cuidadores"),
        summary=(
            "A short video in three parts: noticing a child's feeling, naming it with them, "
            "and solving the problem together once everyone is calm.",
            "Un video breve en tres partes: notar la emoción del niño, nombrarla junto con "
            "él y resolver el problema juntos cuando todos están tranquilos.",
        ),
        body=(
            "Home visitors often watch it with parents during a visit.",
            "Las visitadoras suelen verlo con los padres durante una visita.",
        ),
        link="https://example.org/videos/emotion-coaching",
    ),
    Resource(
        slug="school-community-partnerships",
        format="research",
        tags="engagement environment; educators policymakers; en; 6-12 13-18",
        days_ago=410,
        title=(
            "School and community partnerships: a research summary",
            "Alianzas entre escuela y comunidad: resumen de investigación",
        ),
        summary=(
            "Schools that open their doors to families and community groups after hours "
            "report stronger attendance and belonging. What the evidence says, and what it "
            "does not yet show.",
            "Las escuelas que abren sus puertas a las familias y a los grupos comunitarios "
            "fuera del horario de clases reportan mejor asistencia y más sentido de "
            "pertenencia. Qué dice la evidencia y qué no muestra todavía.",
        ),
        body=(
            "Written for school boards and community foundations.",
            "Escrito para juntas escolares y fundaciones comunitarias.",
        ),
        files=(("research-brief", SUMMARY),),
        authors="Sample Author E, Sample Author F",
    ),
    Resource(
        slug="documenting-positive-experiences-in-visits",
        format="toolkit",
        tags="relationships; practitioners; en; prenatal 0-2 3-5",
        days_ago=470,
        title=(
            "Documenting positive experiences during visits",
            "Registrar las experiencias positivas durante las visitas",
        ),
        summary=(
            "Forms and examples for recording strengths in a family's file in a way the "
            "family would recognize and agree with, next to the risks a program must "
            "record.",
            "Formularios y ejemplos para registrar las fortalezas en el expediente de una "
            "familia de una manera que la familia reconozca y apruebe, junto a los riesgos "
            "que el programa debe registrar.",
        ),
        body=(
            "Reviewed by supervisors from three home-visiting programs.",
            "Revisado por supervisoras de tres programas de visitas domiciliarias.",
        ),
        files=(("sign-up-sheet", WORKSHEET), ("serve-and-return", HANDOUT)),
    ),
    Resource(
        slug="hope-for-policymakers",
        format="guide",
        tags="environment engagement; policymakers; en; 0-2 6-12 13-18",
        days_ago=538,
        title=("HOPE for policymakers", "HOPE para quienes diseñan políticas"),
        summary=(
            "A short guide for local and state officials: how budgets for parks, libraries, "
            "housing and after-school programs shape the positive experiences children can "
            "have.",
            "Una guía breve para autoridades locales y estatales: cómo los presupuestos para "
            "parques, bibliotecas, vivienda y programas extraescolares determinan las "
            "experiencias positivas que pueden tener los niños.",
        ),
        body=(
            "With questions to ask when a new program is proposed.",
            "Con preguntas para hacer cuando se propone un programa nuevo.",
        ),
        files=(("four-building-blocks", LETTER),),
    ),
)
