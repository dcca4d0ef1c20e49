"""Slide decks: one editable PowerPoint file per workshop and language (the only part of
Teach Forward that imports python-pptx)."""
from teachforward.decks.render import render_decks

__all__ = ["render_decks"]
