"""Instruments: the public catalogue of questionnaires and their printable paper forms."""
