from mkdocs.config import config_options as c
from mkdocs.config.base import Config


class IncrementalConfig(Config):
    # Where compiled theme templates are kept between builds (shared by every language).
    template_cache = c.Optional(c.Type(str))
