"""MkDocs hook: hand-written pages are rendered in a Jinja sandbox that sees three variables.

The macros plugin lets a page use template code, and its environment is powerful: the whole
MkDocs configuration ({{ config }}), facts about the machine ({{ environment }}), macros that
read files, {% include %} of anything under the docs folder, and Python attribute tricks
({{ ''.__class__.__mro__ }}). Pages under docs/<lang>/ are written by translators, so before
the first page is rendered this hook replaces the plugin's environment with a sandboxed one
(jinja2.sandbox.ImmutableSandboxedEnvironment, no template loader) and renders pages with
only {{ workshop_cards }}, {{ workshop_table }} and {{ glossary }} in scope.

The check (teachforward.content.template_policy) refuses anything else with the file and
line before a build starts; this is the second line of defence.
Registered as `hooks:` in each generated mkdocs.yml by teachforward.site.build.
"""
from __future__ import annotations

from jinja2 import StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment
from mkdocs.plugins import event_priority

from teachforward.content.template_policy import ALLOWED_VARIABLES
from teachforward.site.mkdocs_adapter import macros_environment, replace_macros_rendering


def sandboxed_environment(like) -> ImmutableSandboxedEnvironment:
    """A sandbox with the same markers as `like`, no loader (so no include or import) and strict undefined."""
    return ImmutableSandboxedEnvironment(
        loader=None,
        undefined=StrictUndefined,
        autoescape=False,
        block_start_string=like.block_start_string, block_end_string=like.block_end_string,
        variable_start_string=like.variable_start_string, variable_end_string=like.variable_end_string,
        comment_start_string=like.comment_start_string, comment_end_string=like.comment_end_string,
    )


@event_priority(-100)   # after the macros plugin has built its own environment in its on_config
def on_config(config, **kwargs):
    like = macros_environment(config)
    if like is None:
        return config
    env = sandboxed_environment(like)
    variables = {name: config.extra[name] for name in ALLOWED_VARIABLES if name in config.extra}

    def render(markdown: str, meta: dict) -> str:
        # As the plugin with render_by_default: false: only pages that ask for it are templates.
        if meta.get("render_macros") is not True:
            return markdown
        return env.from_string(markdown).render(**variables)

    replace_macros_rendering(config, env, render)
    return config
