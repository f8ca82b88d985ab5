from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstrumentsConfig(AppConfig):
    name = "hopeful.web.instruments"
    label = "instruments"
    verbose_name = _("Questionnaires")
