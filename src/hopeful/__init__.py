"""HOPEful: the HOPE framework in practice."""

__version__ = "0.1.0.dev0"
