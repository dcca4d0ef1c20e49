"""Every use of MkDocs', Material's and the macros plugin's internals, in one place.

The site renderer relies on a few things these libraries do not promise: the macros plugin's
Jinja environment (`_env`) and its `render` method, the theme's `get_env`, the `dirty` build,
how load_config reads a file (load_config_data does the same from data already in memory), the
macros plugin's git lookup (skipped), and where Material keeps its language partials and lunr files. pyproject.toml pins these
libraries with `~=`, and tests/test_mkdocs_adapter.py checks that each of these still exists
and behaves as used here; a new version that breaks one fails that test first.
"""
from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

MACROS_PLUGIN = "macros"


def load_config(config_file: Path, **overrides: Any) -> Any:
    from mkdocs.config import load_config as mkdocs_load_config
    return mkdocs_load_config(config_file=str(config_file), **overrides)


def load_config_data(config_file: Path, data: dict[str, Any]) -> Any:
    """The configuration load_config(config_file) gives when config_file holds `data` as YAML,
    without reading the file back: parsing a large menu costs more than the build of a few
    pages. Only the file `data` inherits from (INHERIT) is read. What MkDocs' load_config does
    after reading, done the same way: merged with the inherited file by mergedeep, validated,
    its warnings and errors logged, a strict warning or an error refused."""
    import copy

    from mkdocs import exceptions
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.utils import yaml as mkdocs_yaml

    path = os.path.abspath(config_file)
    config = MkDocsConfig(config_file_path=path)
    data = copy.deepcopy(data)
    inherit = data.pop("INHERIT", None)
    if inherit is not None:
        with open(os.path.normpath(os.path.join(os.path.dirname(path), inherit)), "rb") as handle:
            parent = mkdocs_yaml.yaml_load(handle, mkdocs_yaml.get_yaml_loader(config=config))
        data = mkdocs_yaml.mergedeep.merge(parent, data)     # MkDocs' own merge of INHERIT
    config.load_dict(data)
    errors, warnings = config.validate()
    log = logging.getLogger("mkdocs.config")
    for name, warning in warnings:
        log.warning(f"Config value '{name}': {warning}")
    for name, error in errors:
        log.error(f"Config value '{name}': {error}")
    if errors:
        raise exceptions.Abort("Aborted with a configuration error!")
    if config.strict and warnings:
        raise exceptions.Abort(f"Aborted with {len(warnings)} configuration warnings in 'strict' mode!")
    return config


def build_site(config: Any, dirty: bool) -> None:
    """One MkDocs build; `dirty` renders only pages whose Markdown changed since the last one."""
    from mkdocs.commands.build import build
    build(config, dirty=dirty)


def build_errors() -> tuple[type[BaseException], ...]:
    """What MkDocs raises for a build it refuses (a strict warning, a bad configuration)."""
    from mkdocs.exceptions import Abort, MkDocsException
    return (Abort, MkDocsException, SystemExit)


@contextmanager
def quiet_logger() -> Iterator[None]:
    """MkDocs' messages are not shown while this lasts."""
    logger = logging.getLogger("mkdocs")
    propagate, logger.propagate = logger.propagate, False
    silent = logging.NullHandler()
    logger.addHandler(silent)
    try:
        yield
    finally:
        logger.removeHandler(silent)
        logger.propagate = propagate


def macros_environment(config: Any) -> Any | None:
    """The macros plugin's Jinja environment, or None when the site does not use the plugin."""
    macros = config.plugins.get(MACROS_PLUGIN)
    return None if macros is None else macros.env


@contextmanager
def without_macros_git_lookup() -> Iterator[None]:
    """While this lasts, the macros plugin does not run its 13 git commands to offer pages
    {{ git }} (in every build): our pages see three variables only (site/macros_sandbox.py). The
    plugin is given the answer it gives where there is no repository."""
    from mkdocs_macros import context
    original, context.get_git_info = context.get_git_info, _no_git_info
    try:
        yield
    finally:
        context.get_git_info = original


def _no_git_info() -> dict[str, Any]:
    return {"status": False, "date": None}


def replace_macros_rendering(config: Any, env: Any, render: Callable[[str, dict], str]) -> None:
    """Make the macros plugin render pages with `env`: `render(markdown, page_meta)` gives a
    page's Markdown after its template code ran (or unchanged)."""
    macros = config.plugins[MACROS_PLUGIN]
    macros._env = env

    def rendering(markdown: str, force_rendering: bool = False) -> str:
        page = macros.variables.get("page")
        meta = dict(getattr(page, "meta", None) or {})
        if force_rendering:
            meta.setdefault("render_macros", True)
        return render(markdown, meta)

    macros.render = rendering


def wrap_theme_environments(theme: Any, wrap: Callable[[Any], Any]) -> None:
    """Every Jinja environment the theme gives (to MkDocs and to the search plugin) goes through `wrap`."""
    make_env = theme.get_env
    theme.get_env = lambda: wrap(make_env())


def material_folder() -> Path:
    """The installed Material theme's package folder."""
    import material
    return Path(material.__file__).parent


def material_languages() -> Path:
    """The folder of Material's language partials (one `<code>.html` per language it knows)."""
    return material_folder() / "templates" / "partials" / "languages"


def material_lunr() -> Path:
    """The folder of the lunr language support Material ships (`lunr.<code>.min.js`)."""
    return material_folder() / "templates" / "assets" / "javascripts" / "lunr" / "min"
