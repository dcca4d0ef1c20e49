"""Browser tests: the built site in Chromium (a package, so its conftest does not replace tests/conftest.py)."""
