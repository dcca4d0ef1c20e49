"""Render the content model into the Markdown pages of one language's site.

Workshop prose is data: it is copied into the pages as written (only its links are
re-pointed at the generated pages) and never goes through the macros' template engine.
"""
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from functools import cached_property

from teachforward.artifacts import Download, PrintFile
from teachforward.content import prose
from teachforward.content.formatting import agenda_times, elapsed, reading_names, total_minutes
from teachforward.content.model import Course, Document, Exercise, Language, Origin, Page, Workshop
from teachforward.content.parts import PARTS as WORKSHOP_PARTS
from teachforward.content.parts import page_of
from teachforward.content.tracking import TranslationStatus
from teachforward.site.kit import KitPages
from teachforward.site.markdown_out import blocks_markdown, inline_markdown

PARTS = tuple(part.name for part in WORKSHOP_PARTS)
TRANSLATORS_PAGE = "writing-and-translating.md"


def part_path(workshop_folder: str, part: str) -> str:
    return page_of(workshop_folder, part)


def presenter_page(workshop_folder: str) -> str:
    """The workshop's presenter view (made by the deck renderer), next to its pages."""
    return f"workshops/{workshop_folder}/present.html"


@dataclass
class PageWriter(KitPages):
    """Everything needed to write the pages of one language."""
    course: Course
    language: Language
    downloads: dict[str, Download]    # workshop folder -> its deck in this language
    status: TranslationStatus | None = None   # None for the source language
    prints: tuple[PrintFile, ...] = ()        # the language's PDFs (paper/build.py)

    def t(self, key: str, **values) -> str:
        text = self.language.strings.get(key) or self.course.source.strings.get(key, key)
        return text.format(**values) if values else text

    def label(self, key: str) -> str:
        """An interface string as a label before its value, with the colon as the language
        writes it ("Duration:", "Durée :")."""
        return self.t("label_and_title", label=self.t(key), title="").rstrip()

    # --- whole pages, as {path: markdown} ----------------------------------------------

    def workshop_pages(self, workshop: Workshop) -> dict[str, str]:
        return {
            part_path(workshop.folder, "overview"): self.overview(workshop),
            part_path(workshop.folder, "notes"): self.notes(workshop),
            part_path(workshop.folder, "guide"): self.guide(workshop),
            part_path(workshop.folder, "exercises"): self.exercises(workshop),
            part_path(workshop.folder, "handout"): self.handout(workshop),
            **self.kit_pages(workshop),
        }

    def workshop_inputs(self, workshop: Workshop) -> tuple:
        """Everything workshop_pages(workshop) reads besides the workshop itself: the same
        workshop (by value) with the same inputs gives the same pages (site/sources.py keeps
        them). A page of a workshop that comes to read something more must add it here."""
        language, course = self.language, self.course
        return (language.code, language.name, language.direction, language.strings,
                course.source_language, course.source.strings, course.settings,
                self.downloads.get(workshop.folder),
                tuple(p for p in self.prints if p.workshop == workshop.folder),
                tuple(tuple(self._outdated_sections(origin)) for origin in workshop.origins()))

    def overview(self, workshop: Workshop) -> str:
        facts, here = workshop.facts, part_path(workshop.folder, "overview")
        lang = self._foreign(workshop.facts_origin)     # English facts on another language's site

        def text(value: str) -> str:
            return _span(_escape(value), lang)

        heading_lang = f" {{: lang={lang} dir=ltr }}" if lang else ""
        out = [self._front(self.overview_title(workshop)),
               f"# {_escape(facts.title)}{heading_lang}", "", self._fallback(workshop.facts_origin, here),
               f"*{self.t('workshop_label', number=workshop.number)}*", "",
               text(facts.summary), "",
               f"- **{self.label('label_duration')}** {self.t('duration_minutes', minutes=facts.duration)}",
               f"- **{self.label('label_audience')}** {text(facts.audience)}", "",
               self._download_box(workshop), self._part_links(workshop, "overview"),
               f"## {self.t('objectives_title')} {{#objectives}}", "", self.t("objectives_intro"), ""]
        out += [f"- {text(o)}" for o in facts.objectives] + [""]
        out += [f"## {self.t('agenda_title')} {{#agenda}}", "", self.agenda_table(workshop, here), ""]
        out += self.law_box(workshop) + self.materials_list(workshop, here)
        if facts.key_terms:
            out += [f"## {self.t('key_terms_title')} {{#key-terms}}", ""]
            for term in facts.key_terms:
                out += [text(term.term), f":   {text(term.definition)}", ""]
        if facts.further_reading:
            out += [f"## {self.t('reading_title')} {{#further-reading}}", ""]
            out += [f"- {_span(_reading(r), lang)}" for r in facts.further_reading] + [""]
        return _join(out)

    def agenda_table(self, workshop: Workshop, here: str) -> str:
        agenda = workshop.facts.agenda
        lead, materials = any(i.lead for i in agenda), any(i.materials for i in agenda)
        lang = self._foreign(workshop.facts_origin)
        extra = [self.t("agenda_lead")] * lead + [self.t("agenda_materials")] * materials
        rows = ["| " + " | ".join([self.t("agenda_start"), self.t("agenda_minutes"), self.t("agenda_activity"), *extra]) + " |",
                "|---:|---:|:---|" + ":---|" * len(extra)]
        for start, item in agenda_times(agenda):
            cells = [start, str(item.minutes), self._activity(workshop, item, here)]
            cells += [self._text(item.lead, lang) if item.lead else ""] * lead
            cells += [self.agenda_materials(workshop, item, here)] * materials
            rows.append("| " + " | ".join(cells) + " |")
        minutes = total_minutes(agenda)
        rows.append(f"| {elapsed(minutes)} | **{minutes}** | **{self.t('agenda_total')}** |" + " |" * len(extra))
        return "\n".join(rows)

    def notes(self, workshop: Workshop) -> str:
        return self._document_page(workshop, "notes", workshop.notes, with_key_points=True)

    def guide(self, workshop: Workshop) -> str:
        return self._document_page(workshop, "guide", workshop.guide, with_key_points=False)

    def _document_page(self, workshop: Workshop, part: str, document: Document | None, with_key_points: bool) -> str:
        here = part_path(workshop.folder, part)
        title = self.t(f"workshop_{part}")
        out = [self._front(f"{self._titled(workshop, title)}"), f"# {title}", "",
               self._context_line(workshop), ""]
        if document is None:
            return _join(out + [self._part_links(workshop, part)])
        out += [self._fallback(document.origin, here), self._part_links(workshop, part)]
        if document.intro:
            out += [_in_language(self._prose(document.intro_prose, here), self._foreign(document.origin)), ""]
        stale = self._outdated_sections(document.origin)
        lang = self._foreign(document.origin)
        for section in document.sections:
            out += [f"## {_escape(section.title)} {{#{section.id}{lang and f' lang={lang}'}}}", ""]
            if section.id in stale:
                out += [self._outdated_notice(here, section.id), ""]
            if with_key_points and section.key_points:
                out += [f'!!! abstract "{self.t("on_the_slide")}"', ""]
                out += [f"    - {self._point(p, here)}" for p in section.points] + [""]
            if section.body:
                out += [_in_language(self._prose(section.prose, here), lang), ""]
        return _join(out)

    def overview_title(self, workshop: Workshop) -> str:
        return self._titled(workshop, workshop.facts.title)

    def _titled(self, workshop: Workshop, text: str) -> str:
        """ "Workshop 1: Title", with the language's own punctuation ("Atelier 1 : ...")."""
        return self.t("label_and_title", label=self.t("workshop_label", number=workshop.number), title=text)

    def _foreign(self, origin: Origin) -> str:
        """The language of text shown in another language's site (English fallback), else ""."""
        return "" if origin.lang == self.language.code else origin.lang

    def exercises(self, workshop: Workshop) -> str:
        here = part_path(workshop.folder, "exercises")
        title = self.t("workshop_exercises")
        out = [self._front(f"{self._titled(workshop, title)}"), f"# {title}", "",
               self._context_line(workshop), "", self._part_links(workshop, "exercises")]
        for exercise in workshop.exercises:
            out += self._exercise(exercise, here, with_responses=True)
        return _join(out)

    def handout(self, workshop: Workshop) -> str:
        here = part_path(workshop.folder, "handout")
        title = self.t("workshop_handout")
        out = [self._front(f"{self._titled(workshop, title)}", extra={"handout": True}),
               f"# {title}: {_escape(workshop.title)}", "", self.t("handout_intro"), ""]
        for exercise in workshop.exercises:
            # Each exercise is its own printed sheet, with ruled space for notes.
            out += ['<div class="tf-handout-exercise" markdown>', ""]
            out += self._exercise(exercise, here, with_responses=False)
            out += [f"### {self.t('handout_notes')}", "",
                    '<div class="tf-notes-space" aria-hidden="true"></div>', "", "</div>", ""]
        return _join(out)

    def _exercise(self, exercise: Exercise, here: str, with_responses: bool) -> list[str]:
        out = [f"## {_escape(exercise.title)} {{#{exercise.id}}}", "", self._fallback(exercise.origin, here),
               f"**{self.label('exercise_group_size')}** {self.t('exercise_people', size=exercise.group_size)} · "
               f"**{self.label('exercise_time')}** {self.t('duration_minutes', minutes=exercise.minutes)}", ""]
        for section in (exercise.scenario, exercise.task, exercise.questions):
            if section:
                out += [f"### {_escape(section.title)} {{#{exercise.id}-{section.id}}}", "",
                        self._prose(section.prose, here), ""]
        if with_responses:
            out += [f'??? tip "{_quote(exercise.responses.title)}"', ""]
            body = self._prose(exercise.responses.prose, here)
            out += [_indent(body), ""]
        return out

    def site_page(self, page: Page) -> str:
        meta = dict(page.meta)
        meta["render_macros"] = True
        notice = self._fallback(page.origin, page.path)
        text = page.text
        if notice:
            # The notice goes under the title, so the page keeps its heading first.
            lines = text.split("\n")
            index = next((i for i, row in enumerate(lines) if row.startswith("# ")), 0)
            text = "\n".join(lines[: index + 1] + ["", notice] + lines[index + 1:])
        return _front_matter(meta) + text.rstrip("\n") + "\n"

    # --- generated site pages -----------------------------------------------------------

    def translation_status(self) -> str:
        title = self.t("status_title")
        out = [self._front(title), f"# {title}", "", self.t("status_intro", language=self.language.name), ""]
        status = self.status
        if status is None:
            return _join(out + [self.t("status_source"), ""])
        out += [f"- **{self.label('status_current')}** {status.percent_current} %",
                f"- **{self.label('status_outdated')}** {status.percent_outdated} %",
                f"- **{self.label('status_missing')}** {status.percent_missing} %", "",
                self.t("status_by_words"), "",
                f"| {self.t('status_page')} | {self.t('status_state')} |", "|:---|:---|"]
        for item in status.files:
            link = _relative("translation-status.md", item.site_page)
            state = {"translated": self.t("status_translated"), "missing": self.t("status_not_translated"),
                     "outdated": self.t("status_outdated_sections", sections=", ".join(item.outdated))}[item.state]
            out.append(f"| [{_escape(item.label)}]({link}) | {state} |")
        return _join(out + ["", self.t("status_help", link=TRANSLATORS_PAGE)])

    def downloads_page(self) -> str:
        title = self.t("downloads_title")
        out = [self._front(title), f"# {title}", "", self.t("downloads_intro"), ""]
        for workshop in self.language.workshops:
            download = self.downloads.get(workshop.folder)
            if download:
                out.append(f"- **{self._titled(workshop, _escape(workshop.title))}**: "
                           f"{self._download_link(download, 'downloads.md')}")
        out += self.print_downloads()
        # The offline pack is zipped after the site is built, so MkDocs cannot check this link:
        # plain HTML keeps it out of its link validation. Inside the pack the section is hidden.
        pack = f"teach-forward-{self.language.code}.zip"
        out += ["", '<div class="tf-online-only" markdown>', "", f"## {self.t('offline_pack_title')}", "",
                self.t("offline_pack_text"), "",
                f'<p><a href="downloads/{pack}" download>{self._pack_link_text(pack)}</a></p>',
                "", "</div>"]
        return _join(out + [""])

    def _pack_link_text(self, pack: str) -> str:
        """The offline pack's link text (HTML): on a right-to-left site its file name is isolated,
        or its parentheses pair with the wrong ends of a left-to-right name."""
        text = _attr(self.t("offline_pack_link", file="\0"))
        return text.replace("\0", f'<bdi class="tf-file">{pack}</bdi>' if self.language.direction == "rtl" else pack)

    # --- what hand-written pages can show through macros --------------------------------

    def macro_variables(self) -> dict[str, str]:
        return {"workshop_cards": self.workshop_cards(), "workshop_table": self.workshop_table(),
                "glossary": self.glossary()}

    def workshop_cards(self) -> str:
        cards = ['<div class="grid cards" markdown>', ""]
        for workshop in self.language.workshops:
            facts = workshop.facts
            link = part_path(workshop.folder, "overview")
            lang = self._foreign(workshop.facts_origin)
            cards += [f"-   **[{self._titled(workshop, _span(_escape(facts.title), lang))}]({link})**", "",
                      "    ---", "",
                      f"    {_span(_escape(facts.summary), lang)}", "",
                      f"    *{self.t('duration_minutes', minutes=facts.duration)} · {_span(_escape(facts.audience), lang)}*", ""]
        return "\n".join(cards + ["</div>"])

    def workshop_table(self) -> str:
        rows = [f"| {self.t('table_workshop')} | {self.t('table_duration')} | {self.t('table_summary')} |", "|:---|---:|:---|"]
        for workshop in self.language.workshops:
            facts = workshop.facts
            rows.append(f"| [{workshop.number}. {_escape(facts.title)}]({part_path(workshop.folder, 'overview')}) | "
                        f"{self.t('duration_minutes', minutes=facts.duration)} | {_escape(facts.summary)} |".replace("\n", " "))
        return "\n".join(rows)

    def glossary(self) -> str:
        entries = []
        for workshop in self.language.workshops:
            for term in workshop.facts.key_terms:
                entries.append((_sort_key(term.term), term, workshop))
        out = []
        for _, term, workshop in sorted(entries, key=lambda e: e[0]):
            source = f"[{self.t('workshop_label', number=workshop.number)}]({part_path(workshop.folder, 'overview')}#key-terms)"
            out += [f'<span id="{term.id}"></span>{_escape(term.term)}',
                    f":   {_escape(term.definition)} *({self.t('glossary_from', workshop=source)})*", ""]
        return "\n".join(out)

    # --- small pieces ----------------------------------------------------------------

    def _front(self, title: str, extra: dict | None = None) -> str:
        return _front_matter({"title": title, **(extra or {})})

    def _context_line(self, workshop: Workshop) -> str:
        return (f"[{self._titled(workshop, _escape(workshop.title))}](index.md) · "
                f"{self.t('duration_minutes', minutes=workshop.facts.duration)}")

    def _part_links(self, workshop: Workshop, current: str) -> str:
        items = []
        for part in PARTS:
            label = self.t(f"workshop_{part}")
            if part == current:
                items.append(f"**{label}**")
            else:
                items.append(f"[{label}]({_relative(part_path(workshop.folder, current), part_path(workshop.folder, part))})")
        # Navigation and download boxes are left out of the search index: a result's text is
        # what the page says, not the names of the files beside it.
        return (f'<nav class="tf-parts" markdown data-search-exclude aria-label="{_attr(self.t("page_parts"))}">\n'
                + " · ".join(items) + "\n</nav>\n")

    def _download_box(self, workshop: Workshop) -> str:
        download, here = self.downloads.get(workshop.folder), part_path(workshop.folder, "overview")
        links = ([self._download_link(download, here)] if download else []) + self.print_links(workshop, here)
        if not links:
            return ""
        if download and download.presenter:
            href = _relative(here, presenter_page(workshop.folder))
            links.insert(1, f":material-presentation-play: [{self.t('present_link')}]({href}){{: target=\"_blank\" }}")
        return '<div class="tf-download" markdown data-search-exclude>\n' + "\n\n".join(links) + "\n</div>\n"

    def _download_link(self, download: Download, here: str) -> str:
        href = _relative(here, f"downloads/{download.filename}")
        size = max(1, round(download.size_bytes / 1024))
        label = self.link_label("download_slides", slides=download.slides, size=size)
        note = f" ({self.t('download_in_english')})" if download.lang != self.language.code else ""
        return f":material-download: [{label}]({href}){{: download }}{note}"

    def _fallback(self, origin: Origin, here: str) -> str:
        """The notice on top of a page shown in English, or translated from an older English."""
        if not self.language.is_translated(origin):
            text = self.t("fallback_text", language=self.language.name, link=_relative(here, TRANSLATORS_PAGE))
            return f'!!! warning "{_quote(self.t("fallback_title"))}"\n\n    {text}\n'
        if self._outdated_sections(origin):
            text = _unchecked_link(self.t("outdated_text", link=self._english_url(here)), self._english_url(here))
            return f'!!! info "{_quote(self.t("outdated_title"))}"\n\n    {text}\n'
        return ""

    def _outdated_sections(self, origin: Origin) -> list[str]:
        if self.status is None or not self.language.is_translated(origin):
            return []
        return self._outdated_by_translation.get(origin.path, [])

    @cached_property
    def _outdated_by_translation(self) -> dict:
        found: dict = {}
        for item in self.status.files if self.status is not None else ():
            found.setdefault(item.translation, item.outdated)     # the first, as a search in order finds
        return found

    def _outdated_notice(self, here: str, anchor: str) -> str:
        url = f"{self._english_url(here)}#{anchor}"
        text = _unchecked_link(self.t("outdated_section", link=url), url)
        return f'!!! info ""\n\n    {text}\n'

    def _english_url(self, here: str) -> str:
        """The same page on the English site (a URL: it is outside this language's pages)."""
        return "../" * here.count("/") + f"../{self.course.source_language}/{here[:-3]}.html"

    def _prose(self, body: prose.Prose, here: str) -> str:
        """The body as written, with the links and pictures written between source files
        re-pointed at the generated pages (at the places the parser found them)."""
        edits = {}
        found: list[prose.Link | prose.Image] = [*body.links(), *body.images()]
        for item in found:
            if item.destination is not None:
                url = self._address(item, here)
                if url is not None:
                    edits[item.destination] = url
        return body.rewritten(edits)

    def _written(self, body: prose.Prose, here: str) -> str:
        """A body written from its parsed blocks (materials: writing space and tick boxes
        become what the printed page shows)."""
        return blocks_markdown(body.blocks, lambda item: self._address(item, here) or item.raw)

    def _point(self, point: tuple[prose.Inline, ...], here: str) -> str:
        return inline_markdown(point, lambda item: self._address(item, here) or item.raw)

    def _address(self, item: prose.Link | prose.Image, here: str) -> str | None:
        """Where a link or picture of the prose points on the site; None to keep it as written."""
        folder = here.split("/")[1] if here.startswith("workshops/") else None
        if isinstance(item, prose.Image):
            if item.path is None or folder is None:
                return None
            return _relative(here, f"workshops/{folder}/{image_path_in_workshop(item.path, folder)}")
        target = item.target
        if target is None or target.url or target.workshop is None or target.part is None:
            return None                  # (the loader gives every workshop target a part)
        url = _relative(here, part_path(target.workshop, target.part))
        if url == posixpath.basename(here) and target.anchor:
            url = ""
        return f"{url}{'#' + target.anchor if target.anchor else ''}"


def workshop_images(workshop: Workshop):
    """Every picture a workshop's prose shows."""
    return [image for _, image in workshop.pictures() if image.path is not None]


def image_path_in_workshop(path, folder: str) -> str:
    """A picture's path relative to its workshop folder, the same in every language."""
    for parent in path.parents:
        if parent.name == folder:
            return path.relative_to(parent).as_posix()
    return path.name


def _unchecked_link(markdown: str, url: str) -> str:
    """[text](url) as an HTML link, for a URL on another language's site: MkDocs checks Markdown
    links against this language's pages only, and would refuse it."""
    pattern = re.compile(r"\[([^\[\]]*)\]\(" + re.escape(url) + r"\)")
    return pattern.sub(lambda m: f'<a href="{_attr(url)}">{m.group(1)}</a>', markdown)


def _relative(here: str, there: str) -> str:
    """A relative link from page `here` to page `there` (both .md paths in docs_dir)."""
    return posixpath.relpath(there, posixpath.dirname(here) or ".")


def _reading(reading) -> str:
    title = f"[{_escape(reading.title)}]({reading.url})" if reading.url else f"*{_escape(reading.title)}*"
    bits = reading_names(reading) + ([str(reading.year)] if reading.year else [])
    text = title + (f", {_escape(', '.join(bits))}" if bits else "")
    return text + (f". {_escape(reading.note)}" if reading.note else "")


def _front_matter(meta: dict) -> str:
    import yaml
    # libyaml's dumper when there is one (the same text, in a quarter of the time: a front matter per page)
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return "---\n" + yaml.dump(meta, Dumper=dumper, allow_unicode=True, sort_keys=True) + "---\n\n"


def _escape(text: str) -> str:
    """Plain text from YAML, shown as text: HTML and Markdown markers lose their meaning."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([\\`*_\[\]|])", r"\\\1", text).replace("\n", " ")


def _quote(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def _sort_key(text: str) -> str:
    """Alphabetical order that files "Éducation" under E, not after Z."""
    import unicodedata
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


def _span(text: str, lang: str) -> str:
    return f'<span lang="{lang}" dir="ltr">{text}</span>' if lang else text


def _in_language(markdown: str, lang: str) -> str:
    """Mark text written in another language, so screen readers pronounce it right."""
    if not lang:
        return markdown
    return f'<div lang="{lang}" dir="ltr" markdown>\n\n{markdown}\n\n</div>'


def _indent(text: str) -> str:
    return "\n".join(("    " + line) if line.strip() else "" for line in text.split("\n"))


def _join(lines: list[str]) -> str:
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).rstrip("\n") + "\n"
