from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class IncrementalConfig(Config):
    # Where compiled theme templates are kept between builds (shared by every language).
    template_cache = c.Optional(c.Type(str))
    # A file outside the site where the marks of the search files last written are recorded
    # (search_memo.py), so that the next dirty build can read them back instead of splitting
    # every document again.
    search_marks = c.Optional(c.Type(str))
