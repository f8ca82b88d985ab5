"""Core: the base layout, the home page, the health endpoint, error pages and demo support."""
