"""MkDocs plugins of Teach Forward's site build, each in its own folder (config.py, plugin.py)."""
