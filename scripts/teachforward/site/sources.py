"""What MkDocs reads for one language: its Markdown pages, pictures and decks under
build/<lang>/docs/, and build/<lang>/mkdocs.yml (which inherits the project's mkdocs.yml).

Files are written only when their bytes change, so that their times tell MkDocs which pages to
render again, and files that are no longer produced are removed.

A process that builds again and again (serve) passes a SourcesMemo per language, so that after
an edit the cost is what the edit changed: the pages of a workshop that did not change are not
written out again, and a file known to hold the bytes wanted is not read back.
"""
from __future__ import annotations

import copy
import hashlib
import html
import os
from pathlib import Path
from typing import Any

import yaml

from teachforward.artifacts import Download, PrintFile
from teachforward.content.model import Course, Language
from teachforward.content.tracking import translation_status
from teachforward.fsutil import write_changed
from teachforward.site.kit import PROGRAMME, day_path, material_path
from teachforward.site.mkdocs_adapter import material_languages, material_lunr
from teachforward.site.offline import SHIM
from teachforward.site.pages import PARTS, PageWriter, image_path_in_workshop, part_path, presenter_page, workshop_images

THEME_DIR = Path(__file__).parent / "theme"
MACROS_SANDBOX = Path(__file__).parent / "macros_sandbox.py"


class SourcesMemo:
    """What one language's sources were last made and written with, kept by a process that
    builds again and again (serve keeps one per language in pipeline.Kept). Each piece is
    checked before it is used, so a stale one is never trusted:

    - a workshop's pages, with the workshop and everything else they read
      (PageWriter.workshop_inputs): used again only when both are equal to this build's (the
      same object, as the loader may keep an unchanged workshop, or equal by value);
    - each file written under docs/ (and mkdocs.yml): its digest and its size, time and inode as
      written. A file whose size, time and inode are still those holds those bytes: every
      write of ours replaces the file (a new inode and time), and a change by anyone else
      changes its time;
    - each file copied in (pictures, decks, PDFs): its digest, under its size, time and inode;
    - the configuration last written and its YAML, used again for an equal configuration.
    A file that fails a check is read and compared (fsutil.write_changed), as without a memo."""

    def __init__(self) -> None:
        # folder -> (workshop, its other inputs, {page path: digest}, its pictures)
        self.workshops: dict[str, tuple[Any, tuple, dict[str, str], dict[str, Path]]] = {}
        self.files: dict[str, tuple[str, tuple[int, int, int]]] = {}     # target -> (digest, mark)
        self.copied: dict[Path, tuple[tuple[int, int, int], str]] = {}   # source -> (mark, digest)
        self.config: tuple[dict, bytes] | None = None                    # (configuration, its YAML)
        self.reused_workshops = 0      # during the last build: workshops whose pages were kept
        self.trusted_files = 0         # ... files neither read nor written

    def workshop(self, writer: PageWriter, workshop: Any, docs: Path) -> tuple[dict[str, bytes | Held], dict[str, Path]]:
        """The workshop's pages and pictures: the pages are made again only if what they are made
        from changed or one of their files under `docs` is not as written (else each is Held)."""
        inputs = writer.workshop_inputs(workshop)
        kept = self.workshops.get(workshop.folder)
        if (kept is not None and (kept[0] is workshop or kept[0] == workshop) and kept[1] == inputs
                and all(self.holds(f"{docs}/{path}", digest) for path, digest in kept[2].items())):
            self.reused_workshops += 1
            return {path: Held(digest) for path, digest in kept[2].items()}, kept[3]
        made = {path: text.encode("utf-8") for path, text in writer.workshop_pages(workshop).items()}
        pictures = _workshop_pictures(workshop)
        digests = {path: hashlib.sha256(data).hexdigest() for path, data in made.items()}
        self.workshops[workshop.folder] = (workshop, inputs, digests, pictures)
        return dict[str, bytes | Held](made), pictures

    def holds(self, target: str, digest: str) -> bool:
        kept = self.files.get(target)
        return kept is not None and kept[0] == digest and kept[1] == _mark(target)

    def wrote(self, target: str, digest: str) -> None:
        mark = _mark(target)
        if mark is None:
            self.files.pop(target, None)
        else:
            self.files[target] = (digest, mark)

    def copied_digest(self, source: Path) -> str | None:
        kept = self.copied.get(source)
        return kept[1] if kept is not None and kept[0] == _mark(source) else None

    def read(self, source: Path, digest: str, mark: tuple[int, int, int] | None) -> None:
        if mark is not None:
            self.copied[source] = (mark, digest)

    def detached(self) -> SourcesMemo:
        """This memo without the workshop objects (to send it from one process to another)."""
        copy = SourcesMemo()
        copy.files, copy.copied, copy.config = self.files, self.copied, self.config
        copy.workshops = {folder: (None, inputs, pages, pictures)
                          for folder, (_, inputs, pages, pictures) in self.workshops.items()}
        copy.reused_workshops, copy.trusted_files = self.reused_workshops, self.trusted_files
        return copy

    def attached(self, language: Language) -> SourcesMemo:
        """A detached memo given back its workshops: those of `language`, the very language it was
        made from (a fork shares its parent's course)."""
        workshops = {w.folder: w for w in language.workshops}
        self.workshops = {folder: (workshops[folder], inputs, pages, pictures)
                          for folder, (_, inputs, pages, pictures) in self.workshops.items() if folder in workshops}
        return self

    def forget_others(self, workshops: set[str], files: set[str], sources: set[Path]) -> None:
        """Drop what this build did not use (a workshop or a file that is gone)."""
        for folder in set(self.workshops) - workshops:
            del self.workshops[folder]
        for target in set(self.files) - files:
            del self.files[target]
        for source in set(self.copied) - sources:
            del self.copied[source]


class Held(str):
    """The digest of a file SourcesMemo found holding the bytes wanted: nothing to write."""


def _mark(path: Path | str) -> tuple[int, int, int] | None:
    """What tells that a file was written again: its size, time and inode (None: missing)."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns, info.st_ino


def write_language_sources(course: Course, language: Language, lang_dir: Path, site_dir: Path,
                           downloads: dict[str, Download], deck_files: dict[str, Path],
                           template_cache: Path | None = None, prints: list[PrintFile] | None = None,
                           memo: SourcesMemo | None = None) -> tuple[dict[str, str], dict[str, Any]]:
    """Write the pages and configuration of one language; return {path under lang_dir: digest}
    and the configuration written to lang_dir/mkdocs.yml. `memo`: see SourcesMemo."""
    status = translation_status(course, language) if language.code != course.source_language else None
    prints = prints or []
    writer = PageWriter(course, language, downloads, status, tuple(prints))
    if memo is not None:
        memo.reused_workshops = memo.trusted_files = 0
    wanted: dict[str, bytes | Path | Held] = {}
    pictures: dict[str, Path] = {}
    for page in language.pages:
        wanted[page.path] = writer.site_page(page).encode("utf-8")
    for workshop in language.workshops:
        if memo is not None:
            pages, found = memo.workshop(writer, workshop, lang_dir / "docs")
        else:
            pages = {path: text.encode("utf-8") for path, text in writer.workshop_pages(workshop).items()}
            found = _workshop_pictures(workshop)
        wanted.update(pages)
        pictures.update(found)
    wanted.update({path: text.encode("utf-8") for path, text in writer.programme_pages().items()})
    wanted["translation-status.md"] = writer.translation_status().encode("utf-8")
    for printed in prints:
        wanted[f"downloads/{printed.filename}"] = lang_dir / "print" / printed.filename
    if downloads or prints:
        wanted["downloads.md"] = writer.downloads_page().encode("utf-8")
    wanted.update(pictures)
    wanted.update(_page_pictures(language))
    for download in downloads.values():
        source = deck_files.get(f"{download.site_lang}/{download.filename}")
        if source:
            wanted[f"downloads/{download.filename}"] = source
        presenter = deck_files.get(f"{download.site_lang}/{download.presenter}") if download.presenter else None
        if presenter:
            wanted[presenter_page(download.workshop)] = presenter
    config = _config(course, language, writer, lang_dir / "docs", site_dir, bool(downloads or prints), template_cache)
    targets = {path: f"{lang_dir}/docs/{path}" for path in wanted}
    digests = {f"docs/{path}": _sync(targets[path], content, memo) for path, content in wanted.items()}
    _remove_others(lang_dir / "docs", set(wanted))
    if memo is not None and memo.config is not None and memo.config[0] == config:
        text = memo.config[1]
    else:
        text = _yaml(config)
        if memo is not None:
            memo.config = (copy.deepcopy(config), text)      # (what MkDocs is given may be changed)
    digests["mkdocs.yml"] = _sync(f"{lang_dir}/mkdocs.yml", text, memo)
    if memo is not None:
        memo.forget_others({w.folder for w in language.workshops}, {*targets.values(), f"{lang_dir}/mkdocs.yml"},
                           {content for content in wanted.values() if isinstance(content, Path)})
    return digests, config


def _yaml(config: dict) -> bytes:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return yaml.dump(config, Dumper=dumper, allow_unicode=True, sort_keys=False).encode("utf-8")


def _workshop_pictures(workshop: Any) -> dict[str, Path]:
    return {f"workshops/{workshop.folder}/{image_path_in_workshop(image.path, workshop.folder)}": image.path
            for image in workshop_images(workshop)}


def _page_pictures(language: Language) -> dict[str, Path]:
    found = {}
    for page in language.pages:
        for image in page.images:
            if image.path is not None:
                found[(Path(page.path).parent / image.raw).as_posix()] = image.path
    return found


def _sync(target: str, content: bytes | Path | Held, memo: SourcesMemo | None = None) -> str:
    """Make target hold content (bytes, or a file's bytes) unless it already does; return the digest."""
    if isinstance(content, Held):
        if memo is not None:
            memo.trusted_files += 1
        return str(content)
    if isinstance(content, Path) and memo is not None:
        digest = memo.copied_digest(content)
        if digest is not None and memo.holds(target, digest):
            memo.trusted_files += 1
            return digest
    if isinstance(content, Path):
        mark = _mark(content)
        data = content.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if memo is not None:
            memo.read(content, digest, mark)
    else:
        data = content
        digest = hashlib.sha256(data).hexdigest()
    if memo is not None and memo.holds(target, digest):
        memo.trusted_files += 1
        return digest
    write_changed(Path(target), data)
    if memo is not None:
        memo.wrote(target, digest)
    return digest


def _remove_others(docs: Path, wanted: set[str]) -> None:
    if not docs.is_dir():
        return
    for folder, _, files in os.walk(docs, topdown=False):     # files before their folders
        relative = os.path.relpath(folder, docs).replace(os.sep, "/")
        prefix = "" if relative == "." else relative + "/"
        for name in files:
            if prefix + name not in wanted:
                os.unlink(os.path.join(folder, name))
        if folder != str(docs) and not os.listdir(folder):
            os.rmdir(folder)


def _config(course: Course, language: Language, writer: PageWriter, docs: Path, site_dir: Path,
            with_downloads: bool, template_cache: Path | None) -> dict:
    root = course.root
    return {
        "INHERIT": str(root / "mkdocs.yml"),
        "hooks": [str(MACROS_SANDBOX)],     # docs pages' template code runs sandboxed: site/macros_sandbox.py
        "site_name": writer.t("course_name"),
        "site_description": writer.t("course_tagline"),
        "docs_dir": str(docs),
        "site_dir": str(site_dir),
        # Links to files (notes.html, not notes/), so that the same site works from a web server
        # and, unzipped from the offline pack, from file:// (site/offline.py).
        "use_directory_urls": False,
        "theme": {"language": material_language(language.code), "custom_dir": str(THEME_DIR)},
        "nav": _nav(course, language, writer, with_downloads),
        "plugins": {
            # Material's partials leave out the stemmer (and, for Arabic, everything): our worker
            # applies the language's trimmer, stop words and stemmer to pages and queries alike.
            "search": {"lang": [search_language(language.code)], "pipeline": ["trimmer", "stopWordFilter", "stemmer"]},
            "teachforward-incremental": {"template_cache": str(template_cache) if template_cache else None,
                                         "search_marks": str(site_dir.parent / "search-marks.json")},
            "offline": {},         # last: it copies the search index into a script for file://
        },
        "extra": {
            "alternate": [{"name": lang.name, "lang": lang.code, "link": f"../{lang.code}/"} for lang in course.languages],
            "site_language": {"code": language.code, "dir": language.direction},
            # Our copy of the shim that lets search run from file://; the offline plugin would load it from unpkg.com.
            "polyfills": [SHIM],
            **writer.macro_variables(),
        },
    }


def _nav(course: Course, language: Language, writer: PageWriter, with_downloads: bool) -> list:
    # Material writes menu titles into the page as they are: escape them here. Every entry has a
    # title, so that a page's menu does not depend on reading the other pages (incremental builds).
    pages = {p.path: p for p in language.pages}
    nav: list = []
    for entry in course.settings.pages:
        if entry == "workshops":
            nav.append({_text(writer.t("nav_workshops")): [_workshop_nav(w, writer) for w in language.workshops]})
        elif entry == "programme":
            if course.formats is not None:
                nav.append({_text(writer.t("programme_title")): [PROGRAMME] + [
                    {_text(writer.t("label_and_title", label=writer.worded_text(f.title), title=writer._unit(f, i))):
                     day_path(f.id, i)}
                    for f in course.formats.formats for i, d in enumerate(f.days) if not writer._any_workshop(d)]})
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
    items: list[dict[str, Any]] = [{_text(writer.overview_title(workshop)): part_path(workshop.folder, "overview")}]
    for part in PARTS[1:]:                 # every part after the overview, in the part table's order
        items.append({_text(writer.t(f"workshop_{part}")): part_path(workshop.folder, part)})
    if workshop.materials:
        items.append({_text(writer.t("materials_title")):
                      [{_text(m.title): material_path(workshop.folder, m.id)} for m in workshop.materials]})
    return {title: items}


def _text(title: str) -> str:
    return html.escape(title, quote=False)


def material_language(code: str) -> str:
    """The closest language Material's interface is translated into."""
    available = material_languages()
    for candidate in (code, code.split("-")[0]):
        if (available / f"{candidate}.html").is_file():
            return candidate
    return "en"


def search_language(code: str) -> str:
    """The stemmer lunr has for the language. Material's own choice falls back to English
    for some languages (Arabic among them) although lunr supports them."""
    lunr = material_lunr()
    base = code.split("-")[0]
    return base if base == "en" or (lunr / f"lunr.{base}.min.js").is_file() else "en"
