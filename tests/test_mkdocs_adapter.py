"""The contract of site/mkdocs_adapter.py: what we use of MkDocs', Material's and the macros
plugin's internals still exists and behaves as the adapter says, at the installed versions.
A new version that breaks one of these fails here, with the name of what changed."""
from __future__ import annotations

import re
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from helpers import REPO
from teachforward.site import mkdocs_adapter
from teachforward.site.sources import MACROS_SANDBOX

ADAPTED = ("mkdocs", "mkdocs-macros-plugin")     # the libraries whose internals the adapter uses


def test_the_installed_versions_are_the_pinned_ones():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = {Requirement(line).name: Requirement(line) for line in project["dependencies"]}
    constraints = dict(line.split("==") for line in (REPO / "constraints.txt").read_text(encoding="utf-8").splitlines()
                       if line and not line.startswith("#"))
    for name in ADAPTED:
        assert str(requirements[name].specifier).startswith("~="), f"{name} is not pinned with ~= in pyproject.toml"
        installed = metadata.version(name)
        assert installed in requirements[name].specifier, f"{name} {installed} is not {requirements[name].specifier}"
        assert constraints[name] == installed, f"constraints.txt has {name}=={constraints[name]}, installed {installed}"


def test_material_keeps_its_language_partials_and_lunr_files():
    assert (mkdocs_adapter.material_languages() / "fr.html").is_file()
    assert (mkdocs_adapter.material_languages() / "ar.html").is_file()
    assert (mkdocs_adapter.material_lunr() / "lunr.fr.min.js").is_file()
    assert (mkdocs_adapter.material_lunr() / "lunr.ar.min.js").is_file()


def mini_site(root: Path) -> Path:
    """A two-page Material site with the macros plugin and our sandbox hook, as sources.py writes one."""
    docs = root / "docs"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("---\nrender_macros: true\n---\n# Home\n\nCards: {{ workshop_cards }}\n", encoding="utf-8")
    (docs / "other.md").write_text("# Other\n\nLiteral {{ 6 * 7 }} text.\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text(
        "site_name: Contract\ntheme:\n  name: material\n  font: false\n"
        "plugins:\n  - search\n  - macros:\n      on_undefined: strict\n      on_error_fail: true\n"
        "      render_by_default: false\n"
        f"hooks:\n  - {MACROS_SANDBOX}\nextra:\n  workshop_cards: CARDS-FROM-EXTRA\n", encoding="utf-8")
    return root / "mkdocs.yml"


def test_macros_render_through_the_sandbox_and_a_dirty_build_renders_only_what_changed(tmp_path):
    config_file = mini_site(tmp_path)
    config = mkdocs_adapter.load_config(config_file)
    environments = []
    mkdocs_adapter.wrap_theme_environments(config.theme, lambda env: environments.append(env) or env)
    mkdocs_adapter.build_site(config, dirty=False)
    site = tmp_path / "site"
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "Cards: CARDS-FROM-EXTRA" in home                  # rendered with our variables
    assert "Literal {{ 6 * 7 }} text." in (site / "other.html" if (site / "other.html").exists()
                                          else site / "other" / "index.html").read_text(encoding="utf-8")
    assert environments, "the theme's get_env was not called through the wrapper"
    # The sandbox replaced the plugin's environment: its own globals (config, environment) are gone.
    env = mkdocs_adapter.macros_environment(config)
    assert type(env).__name__ == "ImmutableSandboxedEnvironment"
    assert "config" not in env.globals
    # A dirty build renders only the page whose Markdown changed.
    other = next(p for p in (site / "other.html", site / "other" / "index.html") if p.exists())
    home_time = (site / "index.html").stat().st_mtime_ns
    page = tmp_path / "docs" / "other.md"
    page.write_text(page.read_text(encoding="utf-8").replace("Literal", "Changed"), encoding="utf-8")
    mkdocs_adapter.build_site(mkdocs_adapter.load_config(config_file), dirty=True)
    assert "Changed {{ 6 * 7 }}" in other.read_text(encoding="utf-8")
    assert (site / "index.html").stat().st_mtime_ns == home_time


def test_a_strict_warning_raises_one_of_build_errors(tmp_path):
    config_file = mini_site(tmp_path)
    config_file.write_text(config_file.read_text(encoding="utf-8") + "strict: true\n", encoding="utf-8")
    (tmp_path / "docs" / "other.md").write_text("# Other\n\n[gone](missing.md)\n", encoding="utf-8")
    with pytest.raises(mkdocs_adapter.build_errors()) as caught:
        mkdocs_adapter.build_site(mkdocs_adapter.load_config(config_file), dirty=False)
    assert "warning" in str(caught.value).lower()


def test_template_code_the_sandbox_refuses_fails_the_build(tmp_path):
    config_file = mini_site(tmp_path)
    (tmp_path / "docs" / "index.md").write_text("---\nrender_macros: true\n---\n# Home\n\n{{ config }}\n", encoding="utf-8")
    with pytest.raises(Exception) as caught:      # the macros plugin's own error type
        mkdocs_adapter.build_site(mkdocs_adapter.load_config(config_file), dirty=False)
    assert "undefined" in f"{caught.type.__name__}: {caught.value}".lower()


def test_only_the_site_renderer_imports_mkdocs_and_only_the_adapter_calls_its_build():
    package = REPO / "scripts" / "teachforward"
    for path in package.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        inside_site = path.relative_to(package).parts[0] == "site"
        if not inside_site:
            assert not re.search(r"^\s*(import|from) (mkdocs|material|mkdocs_macros)\b", text, re.MULTILINE), path
        if path.name != "mkdocs_adapter.py":
            assert not re.search(r"^\s*from mkdocs\.commands|^\s*import material\b|\._env\b", text, re.MULTILINE), path


def test_the_theme_listing_kept_by_a_process_follows_its_own_folder(tmp_path):
    """The theme's file list is kept for the life of a process (serve builds again and again):
    a file added to or removed from the project's own theme folder (the first folder), at any
    depth, is seen by the next listing; hidden files are never listed."""
    from teachforward.site.plugins.incremental.theme_files import list_theme_files
    own, installed = tmp_path / "own", tmp_path / "installed"
    (own / "partials").mkdir(parents=True)
    (installed / ".icons").mkdir(parents=True)
    (own / "main.html").write_text("own", encoding="utf-8")
    (installed / "base.html").write_text("base", encoding="utf-8")
    (installed / ".icons" / "x.svg").write_text("<svg/>", encoding="utf-8")
    folders = [str(own), str(installed)]
    assert list_theme_files(folders) == ["base.html", "main.html"]
    (own / "partials" / "footer.html").write_text("footer", encoding="utf-8")
    assert list_theme_files(folders) == ["base.html", "main.html", "partials/footer.html"]
    (own / "main.html").unlink()
    assert list_theme_files(folders) == ["base.html", "partials/footer.html"]
    (own / "partials" / "footer.html").write_text("edited: the list of names is the same", encoding="utf-8")
    assert list_theme_files(folders) == ["base.html", "partials/footer.html"]


def _comparable(config) -> dict:
    """A configuration's values, with the plugins and the theme as what they were made from."""
    values = {key: value for key, value in config.items() if key not in ("plugins", "theme", "config_file_path")}
    values["plugins"] = {name: dict(getattr(plugin, "config", {})) for name, plugin in config.plugins.items()}   # a hook has none
    values["theme"] = (config.theme.name, list(config.theme.dirs), dict(config.theme.items()))
    values["config_file_path"] = config.config_file_path
    return values


def test_a_configuration_loaded_from_data_is_the_one_loaded_from_its_file(tmp_path):
    """load_config_data(file, data) gives what load_config(file) gives when file holds data."""
    import yaml
    mini_site(tmp_path)
    child = tmp_path / "child"
    child.mkdir()
    data = {"INHERIT": "../mkdocs.yml", "site_name": "Child", "docs_dir": str(tmp_path / "docs"),
            "site_dir": str(child / "site"), "nav": [{"Home &amp; more": "index.md"}, {"Other": "other.md"}],
            "theme": {"language": "fr"}, "plugins": {"search": {"lang": ["fr"]}},
            "extra": {"alternate": [{"name": "English", "lang": "en", "link": "../en/"}]}}
    (child / "mkdocs.yml").write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    from_file = mkdocs_adapter.load_config(child / "mkdocs.yml")
    from_data = mkdocs_adapter.load_config_data(child / "mkdocs.yml", data)
    assert _comparable(from_data) == _comparable(from_file)
    assert from_data.theme["language"] == "fr" and from_data.theme["font"] is False      # merged, as INHERIT does
    assert data["INHERIT"] == "../mkdocs.yml"     # the data given is left as it was
    with pytest.raises(mkdocs_adapter.build_errors()):
        mkdocs_adapter.load_config_data(child / "mkdocs.yml", {**data, "strict": True, "unknown_setting": 1})


def test_the_macros_plugin_runs_no_git_command_once_its_lookup_is_skipped(tmp_path, monkeypatch):
    import subprocess
    commands: list = []
    real = subprocess.check_output

    def recording(command, *args, **kwargs):
        commands.append(command)
        return real(command, *args, **kwargs)

    monkeypatch.setattr(subprocess, "check_output", recording)
    config_file = mini_site(tmp_path)
    mkdocs_adapter.build_site(mkdocs_adapter.load_config(config_file), dirty=False)
    assert any(command[0] == "git" for command in commands), "the macros plugin no longer asks git: drop the skip"
    commands.clear()
    with mkdocs_adapter.without_macros_git_lookup():
        mkdocs_adapter.build_site(mkdocs_adapter.load_config(config_file), dirty=False)
    assert not [command for command in commands if command[0] == "git"]
    assert "CARDS-FROM-EXTRA" in (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
