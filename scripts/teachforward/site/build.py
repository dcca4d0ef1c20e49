"""Build one MkDocs site per language, so that each language has its own search index.

For every language: write its pages into build/<lang>/docs/, write build/<lang>/mkdocs.yml
(which inherits the project's mkdocs.yml), then run MkDocs. Languages build in a small
process pool; the caller decides where the finished site goes.
"""
from __future__ import annotations

import html
import io
import logging
import os
import shutil
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import yaml

from teachforward.artifacts import Download
from teachforward.content.model import Course, Language
from teachforward.content.tracking import translation_status
from teachforward.site.landing import landing_page
from teachforward.site.offline import write_offline_config, write_offline_pack
from teachforward.site.pages import PageWriter, image_path_in_workshop, part_path, workshop_images

THEME_DIR = Path(__file__).parent / "theme"
MACROS_SANDBOX = Path(__file__).parent / "macros_sandbox.py"


@dataclass
class SiteBuildError(Exception):
    lang: str
    log: str

    def __str__(self) -> str:
        return f"the {self.lang} site could not be built:\n{self.log}"


def build_site(course: Course, work_dir: Path, out_dir: Path, downloads: list[Download],
               deck_files: dict[str, Path] | None = None, jobs: int = 2) -> None:
    """Write every language's site into out_dir/<lang>/ and the language chooser into out_dir."""
    configs = []
    for language in course.languages:
        mine = {d.workshop: d for d in downloads if d.site_lang == language.code}
        configs.append(write_language_sources(course, language, work_dir / language.code, out_dir / language.code,
                                              mine, deck_files or {}))
    offline = [write_offline_config(config) for config in configs]   # the offline packs: site/offline.py
    if jobs > 1 and len(configs) > 1:
        with ProcessPoolExecutor(max_workers=min(jobs, len(configs))) as pool:
            results = list(pool.map(run_mkdocs, configs + offline))
    else:
        results = [run_mkdocs(config) for config in configs + offline]
    for language, (ok, log) in zip(list(course.languages) * 2, results):
        if not ok:
            raise SiteBuildError(language.code, log)
    for language, config in zip(course.languages, offline):
        write_offline_pack(config, language.code, out_dir / language.code / "downloads")
    (out_dir / "index.html").write_text(landing_page(course), encoding="utf-8")


def write_language_sources(course: Course, language: Language, lang_dir: Path, site_dir: Path,
                           downloads: dict[str, Download], deck_files: dict[str, Path]) -> Path:
    """Write the Markdown pages and the MkDocs configuration of one language; return the config path."""
    docs = lang_dir / "docs"
    if docs.exists():
        shutil.rmtree(docs)
    docs.mkdir(parents=True)
    status = translation_status(course, language) if language.code != course.source_language else None
    writer = PageWriter(course, language, downloads, status)
    pages: dict[str, str] = {}
    for page in language.pages:
        pages[page.path] = writer.site_page(page)
    for workshop in language.workshops:
        pages.update(writer.workshop_pages(workshop))
    pages["translation-status.md"] = writer.translation_status()
    if downloads:
        pages["downloads.md"] = writer.downloads_page()
    for path, text in pages.items():
        target = docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    _copy_images(language, docs)
    for download in downloads.values():
        source = deck_files.get(f"{download.site_lang}/{download.filename}")
        if source:
            (docs / "downloads").mkdir(exist_ok=True)
            shutil.copyfile(source, docs / "downloads" / download.filename)
    config = lang_dir / "mkdocs.yml"
    config.write_text(yaml.safe_dump(_config(course, language, writer, docs, site_dir, bool(downloads)),
                                     allow_unicode=True, sort_keys=False), encoding="utf-8")
    return config


def _copy_images(language: Language, docs: Path) -> None:
    for workshop in language.workshops:
        for image in workshop_images(workshop):
            target = docs / "workshops" / workshop.folder / image_path_in_workshop(image.path, workshop.folder)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(image.path, target)
    for page in language.pages:
        for image in page.images:
            if image.path is not None:
                target = docs / Path(page.path).parent / image.raw
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(image.path, target)


def _config(course: Course, language: Language, writer: PageWriter, docs: Path, site_dir: Path,
            with_downloads: bool) -> dict:
    root = course.root
    return {
        "INHERIT": str(root / "mkdocs.yml"),
        "hooks": [str(MACROS_SANDBOX)],     # docs pages' template code runs sandboxed: site/macros_sandbox.py
        "site_name": writer.t("course_name"),
        "site_description": writer.t("course_tagline"),
        "docs_dir": str(docs),
        "site_dir": str(site_dir),
        "theme": {"language": material_language(language.code), "custom_dir": str(THEME_DIR)},
        "nav": _nav(course, language, writer, with_downloads),
        "plugins": {"search": {"lang": [search_language(language.code)]}},
        "extra": {
            "alternate": [{"name": l.name, "lang": l.code, "link": f"../{l.code}/"} for l in course.languages],
            "site_language": {"code": language.code, "dir": language.direction},
            **writer.macro_variables(),
        },
    }


def _nav(course: Course, language: Language, writer: PageWriter, with_downloads: bool) -> list:
    # Material writes menu titles into the page as they are: escape them here.
    pages = {p.path: p for p in language.pages}
    nav: list = []
    for entry in course.settings.pages:
        if entry == "workshops":
            nav.append({_text(writer.t("nav_workshops")): [_workshop_nav(w, writer) for w in language.workshops]})
        elif entry == "translation-status":
            nav.append({_text(writer.t("status_title")): "translation-status.md"})
        elif entry == "downloads":
            if with_downloads:
                nav.append({_text(writer.t("downloads_title")): "downloads.md"})
        elif entry in pages:
            nav.append({_text(pages[entry].title): entry})
    return nav


def _workshop_nav(workshop, writer: PageWriter) -> dict:
    # U+2068/U+2069 isolate the title, so an English title in a right-to-left menu keeps its number in place.
    title = _text(f"{workshop.number}. \u2068{workshop.title}\u2069")
    items = [part_path(workshop.folder, "overview")]
    for part in ("notes", "guide", "exercises", "handout"):
        items.append({_text(writer.t(f"workshop_{part}")): part_path(workshop.folder, part)})
    return {title: items}


def _text(title: str) -> str:
    return html.escape(title, quote=False)


def material_language(code: str) -> str:
    """The closest language Material's interface is translated into."""
    import material
    available = Path(material.__file__).parent / "templates" / "partials" / "languages"
    for candidate in (code, code.split("-")[0]):
        if (available / f"{candidate}.html").is_file():
            return candidate
    return "en"


def search_language(code: str) -> str:
    """The stemmer lunr has for the language. Material's own choice falls back to English
    for some languages (Arabic among them) although lunr supports them."""
    import material
    lunr = Path(material.__file__).parent / "templates" / "assets" / "javascripts" / "lunr" / "min"
    base = code.split("-")[0]
    return base if base == "en" or (lunr / f"lunr.{base}.min.js").is_file() else "en"


def run_mkdocs(config_path: Path) -> tuple[bool, str]:
    """Build one language's site; returns (succeeded, what MkDocs reported)."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, MkDocsException

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    try:
        config = load_config(config_file=str(config_path))
        build(config)
        return True, stream.getvalue()
    except (Abort, MkDocsException, SystemExit) as error:
        return False, (stream.getvalue() + f"\n{error}").strip()
    except Exception as error:  # a plugin's own error, e.g. a macro failing: keep it readable
        return False, (stream.getvalue() + f"\n{type(error).__name__}: {error}").strip()
    finally:
        logger.removeHandler(handler)
