"""An instrument as an XLSForm, the spreadsheet form definition ODK Collect, ODK Central,
KoboToolbox and Enketo read (https://xlsform.org).

The form asks, in order:

1. consent, one yes/no question per purpose (``consent_care``, ``consent_program``,
   ``consent_research``); the form cannot be finished until at least one is yes;
2. ``language``: the language the family answers in (``en`` or ``es``). It is a question, not
   derived from the form's display language, because neither ODK Central nor KoboToolbox puts
   the display language in their exports;
3. ``family_name``: an optional name or code for the family;
4. ``child_birth_month`` (only for questionnaires answered about a child): a month and year;
5. every item, a ``select_one`` whose choice names are HOPEful's integer codes, under the item's
   own id, so an export reads straight back into HOPEful (:mod:`hopeful.interop.odk`).

Labels are in English (``label::English (en)``) and, when the instrument has a Spanish text,
in Spanish (``label::Español (es)``). Pure Python (openpyxl), no Django.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

from openpyxl import Workbook

from hopeful.framework.instruments import Instrument
from hopeful.framework.text import Text
from hopeful.interop.rows import CONSENT_FIELDS, asks_child

__all__ = ["form_id", "xlsform", "xlsform_sheets"]

LANGUAGE_COLUMNS: Mapping[str, str] = {"en": "English (en)", "es": "Español (es)"}

#: The texts of the questions HOPEful adds around the instrument's items.
_TEXTS: Mapping[str, Mapping[str, str]] = {
    "consent_intro": {
        "en": "Before the questions: what may we do with your answers? You can change "
        "these choices later.",
        "es": "Antes de las preguntas: ¿qué podemos hacer con sus respuestas? Puede cambiar "
        "estas opciones más adelante.",
    },
    "care": {
        "en": "May your care team use your answers to support you and your family?",
        "es": "¿Puede su equipo de atención usar sus respuestas para apoyarle a usted y a su "
        "familia?",
    },
    "program_improvement": {
        "en": "May the program use your answers, grouped with others, to improve its services?",
        "es": "¿Puede el programa usar sus respuestas, junto con las de otras familias, para "
        "mejorar sus servicios?",
    },
    "research": {
        "en": "May your answers be used for research, without your name?",
        "es": "¿Se pueden usar sus respuestas para investigación, sin su nombre?",
    },
    "consent_needed": {
        "en": "Please say yes to at least one use: without it your answers cannot be kept.",
        "es": "Diga que sí a por lo menos un uso: sin eso no se pueden guardar sus respuestas.",
    },
    "language": {
        "en": "Which language are you answering in?",
        "es": "¿En qué idioma está respondiendo?",
    },
    "family_name": {
        "en": "A name or code for your family (optional)",
        "es": "Un nombre o código para su familia (opcional)",
    },
    "family_name_hint": {
        "en": "It helps your program recognize your answers. You can leave it blank.",
        "es": "Ayuda a su programa a reconocer sus respuestas. Puede dejarlo en blanco.",
    },
    "name_too_long": {
        "en": "80 characters at most.",
        "es": "80 caracteres como máximo.",
    },
    "child_birth_month": {
        "en": "In which month and year was the child born?",
        "es": "¿En qué mes y año nació el niño o la niña?",
    },
    "birth_month_future": {
        "en": "The birth month cannot be in the future.",
        "es": "El mes de nacimiento no puede ser en el futuro.",
    },
    "required": {
        "en": "Please choose an answer.",
        "es": "Elija una respuesta.",
    },
    "yes": {"en": "Yes", "es": "Sí"},
    "no": {"en": "No", "es": "No"},
}

SURVEY_COLUMNS = ("type", "name", "label", "hint", "required", "required_message")
SURVEY_EXTRA = ("constraint", "constraint_message", "appearance")


def form_id(instrument: Instrument) -> str:
    """``hopeful_<id>_<version with _>``: the XLSForm's form_id (``hopeful_pce7_1_0``)."""
    return f"hopeful_{instrument.id}_{instrument.version.replace('.', '_')}".lower()


def _languages(instrument: Instrument) -> list[str]:
    """English, and Spanish when the instrument has Spanish texts."""
    return ["en"] + (["es"] if "es" in instrument.translations else [])


def _label_cells(texts: Mapping[str, str], languages: Sequence[str]) -> list[str]:
    return [texts.get(lang) or texts["en"] for lang in languages]


def _text(text: Text | None) -> dict[str, str]:
    return {} if text is None else dict(text.items())


def xlsform_sheets(instrument: Instrument) -> dict[str, list[list[str]]]:
    """The three sheets (``survey``, ``choices``, ``settings``) as rows of cells, header first."""
    languages = _languages(instrument)
    labels = [f"label::{LANGUAGE_COLUMNS[lang]}" for lang in languages]
    hints = [f"hint::{LANGUAGE_COLUMNS[lang]}" for lang in languages]
    messages = [f"required_message::{LANGUAGE_COLUMNS[lang]}" for lang in languages]
    constraints = [f"constraint_message::{LANGUAGE_COLUMNS[lang]}" for lang in languages]
    survey_header = [
        "type",
        "name",
        *labels,
        *hints,
        "required",
        *messages,
        "constraint",
        *constraints,
        "appearance",
    ]
    blank = dict.fromkeys(languages, "")

    def row(
        kind: str,
        name: str,
        label: Mapping[str, str],
        *,
        hint: Mapping[str, str] | None = None,
        required: bool = False,
        constraint: str = "",
        constraint_message: Mapping[str, str] | None = None,
        appearance: str = "",
    ) -> list[str]:
        required_message = _TEXTS["required"] if required and kind.startswith("select") else blank
        return [
            kind,
            name,
            *_label_cells(label, languages),
            *(
                [hint.get(lang) or hint["en"] for lang in languages]
                if hint
                else ["" for _ in hints]
            ),
            "yes" if required else "",
            *[required_message.get(lang, "") for lang in languages],
            constraint,
            *(
                _label_cells(constraint_message, languages)
                if constraint_message
                else ["" for _ in constraints]
            ),
            appearance,
        ]

    survey: list[list[str]] = [survey_header]
    # When the form was finished on the phone (with its zone): the time of the answers.
    survey.append(row("end", "end", blank))
    survey.append(row("note", "consent_intro", _TEXTS["consent_intro"]))
    consent_names = list(CONSENT_FIELDS.values())
    any_yes = " or ".join(f"${{{name}}} = 'yes'" for name in consent_names)
    for purpose, name in CONSENT_FIELDS.items():
        last = name == consent_names[-1]
        survey.append(
            row(
                "select_one yes_no",
                name,
                _TEXTS[purpose],
                required=True,
                constraint=f"({any_yes})" if last else "",
                constraint_message=_TEXTS["consent_needed"] if last else None,
            )
        )
    survey.append(row("select_one language", "language", _TEXTS["language"], required=True))
    survey.append(
        row(
            "text",
            "family_name",
            _TEXTS["family_name"],
            hint=_TEXTS["family_name_hint"],
            constraint="string-length(.) <= 80",
            constraint_message=_TEXTS["name_too_long"],
        )
    )
    if asks_child(instrument):
        survey.append(
            row(
                "date",
                "child_birth_month",
                _TEXTS["child_birth_month"],
                required=True,
                constraint=". <= today()",
                constraint_message=_TEXTS["birth_month_future"],
                appearance="month-year",
            )
        )
    if instrument.content_note is not None:
        survey.append(row("note", "content_note", _text(instrument.content_note)))
    survey.append(row("note", "instructions", _text(instrument.instructions)))
    choices: list[list[str]] = [["list_name", "name", *labels]]
    choices.extend(
        ["yes_no", code, *_label_cells(_TEXTS[code], languages)] for code in ("yes", "no")
    )
    choices.extend(
        ["language", code, *[own_name for _ in languages]]
        for code, own_name in (("en", "English"), ("es", "Español"))
    )
    for item in instrument.items:
        list_name = f"opts_{item.id.lower()}"
        survey.append(
            row(
                f"select_one {list_name}",
                item.id,
                _text(item.text),
                hint=_text(item.note) or None,
                required=item.required,
            )
        )
        choices.extend(
            [list_name, str(option.code), *_label_cells(_text(option.label), languages)]
            for option in item.options
        )
    settings = [
        ["form_title", "form_id", "version", "default_language"],
        [
            instrument.title.get_text("en"),
            form_id(instrument),
            instrument.version,
            LANGUAGE_COLUMNS["en"],
        ],
    ]
    return {"survey": survey, "choices": choices, "settings": settings}


def xlsform(instrument: Instrument) -> bytes:
    """The instrument as an XLSForm workbook (.xlsx bytes)."""
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])
    for title, rows in xlsform_sheets(instrument).items():
        sheet = workbook.create_sheet(title)
        for cells in rows:
            sheet.append(cells)
        for line in sheet.iter_rows():
            for cell in line:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # text, never a formula
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
