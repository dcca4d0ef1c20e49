"""Slide decks: one editable PowerPoint file per workshop and language (the only part of
Teach Forward that imports python-pptx)."""
from teachforward.decks.render import DeckFile, deck_groups, offered_decks, render_deck_group, render_decks

__all__ = ["DeckFile", "deck_groups", "offered_decks", "render_deck_group", "render_decks"]
