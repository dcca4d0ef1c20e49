"""Teach Forward: one set of Markdown + YAML sources, rendered to a multilingual site and slide decks."""

__version__ = "0.1.0"
