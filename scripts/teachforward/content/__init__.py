"""The content model: sources loaded once into typed objects, then validated.

Nothing in this package imports MkDocs or python-pptx: both renderers read these objects.
"""
