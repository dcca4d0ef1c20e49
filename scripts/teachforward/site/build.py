"""Build one MkDocs site per language, so that each language has its own search index, and
rebuild only what changed.

For one language (build_language): write its pages and configuration (site/sources.py), then
compare them with what build/<lang>/site/ was last built from (build/<lang>/state.json):
- nothing changed: MkDocs does not run;
- only the text of some pages changed: MkDocs' dirty build renders just those pages (the
  teachforward-incremental plugin keeps the search index whole);
- anything else (the menu, the settings, the theme, a page added or removed, a new version of
  MkDocs or of this package): a full build.
Then the language's offline pack is zipped (site/offline.py): at 100 workshops it is a zip of
80 MB written again after every edit, so serve's first turns leave it to the catch-up
(`pack=False`, then write_pack), and the state says whether the pack is that of the site.
Where the finished site goes is decided by site/publish.py.
"""
from __future__ import annotations

import hashlib
import io
import json
import logging
import os
from dataclasses import dataclass, replace
from pathlib import Path

from teachforward.artifacts import Download, PrintFile
from teachforward.content.model import Course, Language
from teachforward.fsutil import read_json, write_json
from teachforward.site import mkdocs_adapter
from teachforward.site.offline import pack_name, write_offline_pack
from teachforward.site.sources import THEME_DIR, SourcesMemo, write_language_sources
from teachforward.stamp import LIBRARIES, library_versions

STATE = "state.json"


@dataclass
class SiteBuildError(Exception):
    lang: str
    log: str

    def __str__(self) -> str:
        return f"the {self.lang} site could not be built:\n{self.log}"


@dataclass(frozen=True)
class LanguageBuild:
    lang: str
    mode: str          # "unchanged", "incremental" or "full"
    pages: int         # pages of the site
    rendered: int      # pages MkDocs rendered this time
    site_dir: Path     # build/<lang>/site
    pack: Path         # build/<lang>/pack/teach-forward-<lang>.zip
    state: str         # a digest of everything the site was built from, and of whether `pack` is its pack
    ok: bool = True
    log: str = ""      # MkDocs' warnings and errors
    packed: bool = True     # False: `pack` is still the pack of the site last built before (build_language)


def build_language(course: Course, language: Language, lang_dir: Path, downloads: list[Download],
                   deck_files: dict[str, Path], environment: str, template_cache: Path | None = None,
                   prints: list[PrintFile] | None = None, memo: SourcesMemo | None = None,
                   pack: bool = True) -> LanguageBuild:
    """`environment`: environment_fingerprint(), read once by the build this is part of;
    `memo`: what a process that builds again and again keeps of this language's sources (sources.SourcesMemo);
    `pack`: zip the offline pack too (else write_pack does it later, module docstring)."""
    site_dir = lang_dir / "site"
    mine = {d.workshop: d for d in downloads if d.site_lang == language.code}
    digests, config = write_language_sources(course, language, lang_dir, site_dir, mine, deck_files, template_cache,
                                             prints or [], memo)
    current = {"environment": environment, "files": digests}
    previous = _read_state(lang_dir)
    pages = sum(path.endswith(".md") for path in digests)
    pack_file = lang_dir / "pack" / f"{pack_name(language.code)}.zip"
    built = previous is not None and (site_dir / "index.html").is_file()
    if built and previous is not None and _site_of(previous) == current and pack_file.is_file():
        packed = previous.get("packed", True)
        found = LanguageBuild(language.code, "unchanged", pages, 0, site_dir, pack_file, _digest(current, packed),
                              packed=packed)
        return write_pack(found) if pack and not packed else found
    if built and previous is not None and _only_text_changed(previous, current):
        mode = "incremental"
        rendered = sum(path.endswith(".md") and previous["files"][path] != digest for path, digest in digests.items())
    else:
        mode, rendered = "full", pages
    (lang_dir / STATE).unlink(missing_ok=True)    # an interrupted build leaves no claim behind
    ok, log = run_mkdocs(lang_dir / "mkdocs.yml", dirty=mode == "incremental", data=config)
    if not ok:
        return LanguageBuild(language.code, mode, pages, rendered, site_dir, pack_file, _digest(current, False),
                             ok=False, log=log, packed=False)
    if pack:
        write_offline_pack(site_dir, language.code, pack_file)
    write_json(lang_dir / STATE, {**current, "packed": pack})
    return LanguageBuild(language.code, mode, pages, rendered, site_dir, pack_file, _digest(current, pack), log=log,
                         packed=pack)


def write_pack(built: LanguageBuild) -> LanguageBuild:
    """Zip the offline pack of a site built with `pack=False` (build_language)."""
    lang_dir = built.site_dir.parent
    current = _read_state(lang_dir)
    if current is None or built.packed:
        return built
    write_offline_pack(built.site_dir, built.lang, built.pack)
    write_json(lang_dir / STATE, {**_site_of(current), "packed": True})
    return replace(built, state=_digest(_site_of(current), True), packed=True)


def _site_of(state: dict) -> dict:
    """What the site was built from: the state without whether its pack was zipped."""
    return {"environment": state["environment"], "files": state["files"]}


def _digest(current: dict, packed: bool) -> str:
    # A site whose pack is zipped at last is published again (publish.py compares these digests).
    return hashlib.sha256(json.dumps(current, sort_keys=True).encode() + (b"" if packed else b"\0unpacked")).hexdigest()


def _only_text_changed(previous: dict, current: dict) -> bool:
    before, now = previous["files"], current["files"]
    return (previous["environment"] == current["environment"] and before.keys() == now.keys()
            and before["mkdocs.yml"] == now["mkdocs.yml"])


def _read_state(lang_dir: Path) -> dict | None:
    data = read_json(lang_dir / STATE)
    return data if {"environment", "files"} <= data.keys() else None


def environment_fingerprint() -> str:
    """Everything besides a language's own files that its site depends on: the project's
    mkdocs.yml is part of each language's files (INHERIT), this is the software (the site
    renderer's code and theme, the libraries). Read once per build: a process that lives
    through edits (serve) sees every one."""
    digest = hashlib.sha256(os.environ.get("SOURCE_DATE_EPOCH", "").encode())
    digest.update(library_versions(LIBRARIES).encode())
    here = Path(__file__).parent
    for path in sorted(p for p in here.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.relative_to(here).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


class _DirtyNotice(logging.Filter):
    """MkDocs warns that a dirty build may be inaccurate; ours are made accurate (see the module
    docstring) and, under `strict`, the warning would fail the build."""
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("A 'dirty' build")


def prepare_site_builds(root: Path) -> None:
    """Import what a language's MkDocs build uses (the plugins and Markdown extensions the
    project's mkdocs.yml names) and list the theme's files, in the process that the builds are
    forked from, so that each build does not do it again."""
    from teachforward.site.plugins.incremental.theme_files import list_theme_files
    with mkdocs_adapter.quiet_logger():      # its notices belong to the real builds
        try:
            config = mkdocs_adapter.load_config(root / "mkdocs.yml",
                                                theme={"name": "material", "custom_dir": str(THEME_DIR)})
            list_theme_files(config.theme.dirs)
        except Exception:         # noqa: BLE001 - the real builds will say what is wrong
            pass


def run_mkdocs(config_path: Path, dirty: bool = False, data: dict | None = None) -> tuple[bool, str]:
    """Build one language's site; returns (succeeded, what MkDocs reported). `data`: what
    config_path holds, already in memory (it is then not read back)."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    logger, notice, dirty_filter = logging.getLogger("mkdocs"), logging.getLogger("mkdocs.commands.build"), _DirtyNotice()
    logger.addHandler(handler)
    notice.addFilter(dirty_filter)
    try:
        with mkdocs_adapter.without_macros_git_lookup():
            config = (mkdocs_adapter.load_config(config_path) if data is None
                      else mkdocs_adapter.load_config_data(config_path, data))
            mkdocs_adapter.build_site(config, dirty=dirty)
        return True, stream.getvalue()
    except mkdocs_adapter.build_errors() as error:
        return False, (stream.getvalue() + f"\n{error}").strip()
    except Exception as error:  # a plugin's own error, e.g. a macro failing: keep it readable
        return False, (stream.getvalue() + f"\n{type(error).__name__}: {error}").strip()
    finally:
        logger.removeHandler(handler)
        notice.removeFilter(dirty_filter)
