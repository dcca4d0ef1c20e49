"""Print HTML made from the content model: a workshop's materials, its participant pack and the
parts of the course book (book.py joins them). Each is one HTML document drawn with the shared
stylesheet(), set on A4 with room for Letter (engine.py writes both from one layout).

What participants get is chosen here and only here: `participant_pack` takes the exercises'
scenario, task and questions (never `responses`), the notes' key points (never the speaking text)
and the key terms; `participant_sheets` the materials whose audience is participants. tests/test_paper.py checks the
PDFs against the model's responses and facilitator-only text in every language.
"""
from __future__ import annotations

from html import escape
from pathlib import Path

from teachforward.content.formatting import time_of_day
from teachforward.content.model import Course, Document, Exercise, Language, Material, Origin, Workshop
from teachforward.decks import fonts
from teachforward.paper.blocks import blocks_html, inline_html
from teachforward.paper.engine import LINK

STYLE = Path(__file__).with_name("print.css")
# The project's fonts (fonts/, the same files the decks use): (family, file, weight, style).
FACES = (("Noto Sans", fonts.LATIN[False, False], 400, "normal"), ("Noto Sans", fonts.LATIN[True, False], 700, "normal"),
         ("Noto Sans", fonts.LATIN[False, True], 400, "italic"), ("Noto Sans", fonts.LATIN[True, True], 700, "italic"),
         ("Noto Sans Arabic", fonts.ARABIC[False], 400, "normal"), ("Noto Sans Arabic", fonts.ARABIC[True], 700, "normal"))


def font_files() -> list[Path]:
    return [fonts.path(name) for _, name, _, _ in FACES]


def stylesheet() -> str:
    """The style every printed document shares: the fonts, A4 pages (engine.py makes the Letter
    files from the same pages) and print.css."""
    faces = "\n".join(f'@font-face {{ font-family: "{family}"; src: url("{fonts.path(name).as_uri()}"); '
                      f"font-weight: {weight}; font-style: {style}; }}" for family, name, weight, style in FACES)
    return (f"{faces}\n@page {{ size: A4; }}\n@page landscape {{ size: A4 landscape; }}\n"
            + STYLE.read_text(encoding="utf-8"))


def standalone(html: str) -> str:
    """A document with the shared style in it, for an engine that takes one file (bench_pdf.py)."""
    return html.replace("<style>", f"<style>{stylesheet()}\n", 1)


class Words:
    """The interface strings of one language, English when not translated."""

    def __init__(self, course: Course, language: Language):
        self.own, self.source = language.strings, course.source.strings

    def __call__(self, key: str, **values: object) -> str:
        """The string as HTML."""
        return escape(self.plain(key, **values))

    def plain(self, key: str, **values: object) -> str:
        text = self.own.get(key) or self.source.get(key, key)
        return text.format(**values) if values else text

    def label(self, key: str) -> str:
        """A label with the language's own colon ("Durée :"), as HTML."""
        return escape(self.plain("label_and_title", label=self.plain(key), title="").rstrip())


class PrintDocument:
    """One language's printed documents (set on A4 with room for Letter: engine.py)."""

    def __init__(self, course: Course, language: Language):
        self.course, self.language = course, language
        self.t = Words(course, language)

    # --- the three documents ---------------------------------------------------------------

    def materials(self, workshop: Workshop) -> str:
        """The materials of a workshop, each starting a page (landscape where it asks) whose
        foot names it, so that a sheet printed alone still says what it is."""
        body = [self._material(workshop, m, anchor=sheet_anchor(m)) for m in workshop.materials]
        return self._page(self._titled(workshop, self.t.plain("materials_title")), body, footer="string(sheet)")

    def sheets(self, workshop: Workshop) -> list[str]:
        """The anchors of the materials in `materials`, each the start of a sheet's pages."""
        return [sheet_anchor(m) for m in workshop.materials]

    def participant_sheets(self, workshop: Workshop) -> list[str]:
        """The anchors of the sheets participants get: their worksheets file and the end of their
        pack are these pages of the materials, drawn once (build.py)."""
        return [sheet_anchor(m) for m in workshop.materials if m.audience == "participants"]

    def participant_pack(self, workshop: Workshop) -> str:
        title = self._titled(workshop, self.t.plain("paper_pack_title"))
        out = [f'<section class="cover"><p class="kicker">{self.t("paper_pack_title")}</p>',
               f"<h1>{self._text(workshop.title, workshop.facts_origin)}</h1>",
               f"<p>{self._text(workshop.facts.summary, workshop.facts_origin)}</p>",
               f'<p class="meta">{self.t("workshop_label", number=workshop.number)} · '
               f'{self.t("duration_minutes", minutes=workshop.facts.duration)}</p></section>']
        out += self._key_points(workshop)
        out += self._key_terms(workshop, level=2)
        for exercise in workshop.exercises:
            out.append(self._exercise(exercise, with_responses=False, level=2))
        # Then the pages of participant_sheets(workshop), added by build.py.
        return self._page(title, out, footer=self._page_foot(), cover=True)

    # The course book is made in parts, each laid out on its own (book.py): the cover and the
    # contents, one part per workshop, the glossary. `first_page` is the number of a part's first
    # page; the contents are given the page of each of `book_anchors()`, counted from the parts.

    def book_anchors(self) -> list[str]:
        """What the contents list, in their order: each workshop and its parts, the glossary."""
        out = []
        for workshop in self.language.workshops:
            out.append(f"w{workshop.number}")
            out += [f"w{workshop.number}-{part}" for part, _ in self.book_parts(workshop)]
        return out + ["glossary"]

    def book_front(self, pages: dict[str, int]) -> str:
        """The cover and the contents, each entry with the page `pages` gives its anchor."""
        title = self.t("paper_book_title")

        def entry(anchor: str, label: str) -> str:
            return f'<a id="{LINK}{anchor}" data-page="{pages.get(anchor, 0)}">{label}</a>'

        contents = ['<nav class="contents"><h1 class="no-toc">' + self.t("paper_contents") + "</h1><ol>"]
        for workshop in self.language.workshops:
            anchor = f"w{workshop.number}"
            contents.append(f"<li>{entry(anchor, self._text(self._titled_plain(workshop), workshop.facts_origin))}"
                            "<ol>" + "".join(f"<li>{entry(f'{anchor}-{part}', self.t(label))}</li>"
                                             for part, label in self.book_parts(workshop)) + "</ol></li>")
        contents.append(f'<li>{entry("glossary", self.t("paper_glossary"))}</li></ol></nav>')
        cover = (f'<section class="cover"><p class="kicker">{self.t("course_name")}</p><h1 class="no-toc">{title}</h1>'
                 f'<p>{self.t("course_tagline")}</p><p class="meta">{self.t("paper_book_for")}</p></section>')
        return self._page(title, [cover, *contents], footer=self._page_foot(), cover=True)

    def book_workshop(self, workshop: Workshop, first_page: int) -> str:
        return self._page(self.t("paper_book_title"), [self._book_workshop(workshop, f"w{workshop.number}")],
                          footer=self._page_foot(), first_page=first_page)

    def book_glossary(self, first_page: int) -> str:
        return self._page(self.t("paper_book_title"), [self._glossary()], footer=self._page_foot(),
                          first_page=first_page)

    def _page_foot(self) -> str:
        return f"{_css_string(self.t.plain('paper_page') + ' ')} counter(page)"

    # --- pieces -------------------------------------------------------------------------

    def book_parts(self, workshop: Workshop) -> list[tuple[str, str]]:
        parts = [("overview", "workshop_overview")]
        parts += [("notes", "workshop_notes")] * (workshop.notes is not None)
        parts += [("guide", "workshop_guide")] * (workshop.guide is not None)
        parts += [("exercises", "workshop_exercises")] * bool(workshop.exercises)
        parts += [("materials", "materials_title")] * bool(workshop.materials)
        return parts

    def _book_workshop(self, workshop: Workshop, anchor: str) -> str:
        facts, origin = workshop.facts, workshop.facts_origin
        out = [f'<section class="workshop" id="{anchor}">',
               f'<h1 id="{anchor}-overview">{self._text(self._titled_plain(workshop), origin)}</h1>',
               f"<p>{self._text(facts.summary, origin)}</p>",
               f'<p class="meta">{self.t.label("label_duration")} {self.t("duration_minutes", minutes=facts.duration)} · '
               f'{self.t.label("label_audience")} {self._text(facts.audience, origin)}</p>',
               f"<h3>{self.t('objectives_title')}</h3><ul>"
               + "".join(f"<li>{self._text(o, origin)}</li>" for o in facts.objectives) + "</ul>",
               self._agenda(workshop), self._law_check(workshop)]
        out += self._key_terms(workshop, level=3)
        for part, document in (("notes", workshop.notes), ("guide", workshop.guide)):
            if document is not None:
                out.append(self._document(document, f"{anchor}-{part}", self.t(f"workshop_{part}"),
                                          with_key_points=part == "notes"))
        if workshop.exercises:
            out.append(f'<h2 id="{anchor}-exercises" class="part">{self.t("workshop_exercises")}</h2>')
            out += [self._exercise(e, with_responses=True, level=3) for e in workshop.exercises]
        if workshop.materials:
            out.append(f'<h2 id="{anchor}-materials" class="part">{self.t("materials_title")}</h2>')
            out += [self._material(workshop, m, level=3) for m in workshop.materials]
        return "\n".join(out + ["</section>"])

    def _document(self, document: Document, anchor: str, title: str, with_key_points: bool) -> str:
        lang = self._lang(document.origin)
        out = [f'<h2 id="{anchor}" class="part">{title}</h2>', f"<div{lang}>"]
        if document.intro_prose.blocks:
            out.append(blocks_html(document.intro_prose.blocks, shift=1))
        for section in document.sections:
            out.append(f"<h3>{inline_html(section.heading) if section.heading else escape(section.title)}</h3>")
            if with_key_points and section.points:
                out.append(f'<div class="box box-points"><p class="box-title">{self.t("on_the_slide")}</p><ul>'
                           + "".join(f"<li>{inline_html(point)}</li>" for point in section.points) + "</ul></div>")
            out.append(blocks_html(section.prose.blocks, shift=2))
        return "\n".join(out + ["</div>"])

    def _key_points(self, workshop: Workshop) -> list[str]:
        notes = workshop.notes
        if notes is None or not any(s.points for s in notes.sections):
            return []
        out = [f'<h2>{self.t("paper_key_points")}</h2><div{self._lang(notes.origin)}>']
        for section in notes.sections:
            if section.points:
                out.append(f"<h3>{escape(section.title)}</h3><ul>"
                           + "".join(f"<li>{inline_html(point)}</li>" for point in section.points) + "</ul>")
        return out + ["</div>"]

    def _key_terms(self, workshop: Workshop, level: int) -> list[str]:
        terms = workshop.facts.key_terms
        if not terms:
            return []
        origin = workshop.facts_origin
        return [f"<h{level}>{self.t('key_terms_title')}</h{level}><dl>"
                + "".join(f"<dt>{self._text(k.term, origin)}</dt><dd>{self._text(k.definition, origin)}</dd>" for k in terms)
                + "</dl>"]

    def _exercise(self, exercise: Exercise, with_responses: bool, level: int) -> str:
        lang = self._lang(exercise.origin)
        # In the participants' pack the exercises follow one another (flowing): a page is not
        # left with nothing but the ruled lines that did not fit under the one before.
        classes = "exercise" if with_responses else "exercise flowing"
        out = [f'<section class="{classes}"{lang}><h{level}>{escape(exercise.title)}</h{level}>',
               f'<p class="meta">{self.t.label("exercise_group_size")} {self.t("exercise_people", size=exercise.group_size)} · '
               f'{self.t.label("exercise_time")} {self.t("duration_minutes", minutes=exercise.minutes)}</p>']
        parts = [exercise.scenario, exercise.task, exercise.questions]
        if with_responses:
            parts.append(exercise.responses)
        for section in parts:
            if section is not None:
                css = ' class="responses"' if section is exercise.responses else ""
                out.append(f"<div{css}><h{level + 1}>{escape(section.title)}</h{level + 1}>"
                           f"{blocks_html(section.prose.blocks, shift=level)}</div>")
        if not with_responses:
            out.append(f'<h{level + 1}>{self.t("handout_notes")}</h{level + 1}>'
                       '<div class="lines">' + '<div class="line"></div>' * 6 + "</div>")
        return "\n".join(out + ["</section>"])

    def _material(self, workshop: Workshop, material: Material, level: int = 1, anchor: str = "") -> str:
        document = material.document
        kind = f'{self.t.plain(f"material_{material.kind}")} · {self.t.plain(f"material_for_{material.audience}")}'
        sheet = self._titled(workshop, material.title)
        named = f' id="{anchor}" data-sheet="{sheet}"' if anchor else ""
        out = [f'<section class="material {material.orientation}"{named}{self._lang(material.origin)}>',
               f'<p class="kicker">{self._titled(workshop, kind)}</p>',
               f"<h{level}>{escape(material.title)}</h{level}>"]
        if document.intro_prose.blocks:
            out.append(blocks_html(document.intro_prose.blocks, shift=level))
        for section in document.sections:
            # A section that fits on a page is not split (its question away from its ruled lines).
            out.append(f'<div class="sheet-part"><h{level + 1}>{escape(section.title)}</h{level + 1}>'
                       f"{blocks_html(section.prose.blocks, shift=level)}</div>")
        return "\n".join(out + ["</section>"])

    def _agenda(self, workshop: Workshop) -> str:
        start = self.course.settings.start_time
        rows = [f"<tr><th>{self.t('runsheet_time')}</th><th>{self.t('agenda_minutes')}</th>"
                f"<th>{self.t('agenda_activity')}</th><th>{self.t('agenda_lead')}</th></tr>"]
        origin = workshop.facts_origin
        for offset, item in _offsets(workshop):
            css = ' class="break"' if item.is_break else ""
            rows.append(f"<tr{css}><td>{time_of_day(start, offset)}</td><td>{item.minutes}</td>"
                        f"<td>{self._text(item.activity, origin)}</td>"
                        f"<td>{self._text(item.lead, origin) if item.lead else ''}</td></tr>")
        return f"<h3>{self.t('agenda_title')}</h3><table class=\"agenda\">{''.join(rows)}</table>"

    def _law_check(self, workshop: Workshop) -> str:
        law = workshop.facts.law_check
        if law is None:
            return ""
        origin = workshop.facts_origin
        out = [f'<div class="box box-law"><p class="box-title">{self.t("law_title")} '
               f'({self.t("law_checked", date=law.checked)})</p>']
        if law.note:
            out.append(f"<p>{self._text(law.note, origin)}</p>")
        out.append("<ul>")
        for item in law.items:
            facts = [self._text(item.provision, origin)]
            if item.since:
                facts.append(self.t("law_since", date=item.since))
            if item.where:
                facts.append(self._text(item.where, origin))
            out.append(f"<li><strong>{self._text(item.law, origin)}</strong>, {', '.join(facts)}: "
                       f"{self._text(item.says, origin)} <span class=\"url\">{escape(item.source)}</span></li>")
        return "".join(out + ["</ul></div>"])

    def _glossary(self) -> str:
        import unicodedata
        entries = []
        for workshop in self.language.workshops:
            for term in workshop.facts.key_terms:
                key = "".join(c for c in unicodedata.normalize("NFKD", term.term.casefold()) if not unicodedata.combining(c))
                entries.append((key, term, workshop))
        items = "".join(f"<dt>{self._text(term.term, w.facts_origin)}</dt><dd>{self._text(term.definition, w.facts_origin)} "
                        f'<span class="from">({self.t("glossary_from", workshop=self._label(w))})</span></dd>'
                        for _, term, w in sorted(entries, key=lambda e: e[0]))
        return f'<section class="glossary" id="glossary"><h1>{self.t("paper_glossary")}</h1><dl>{items}</dl></section>'

    def _label(self, workshop: Workshop) -> str:
        return self.t.plain("workshop_label", number=workshop.number)

    def _titled(self, workshop: Workshop, text: str) -> str:
        """ "Workshop 1: <text>" as HTML; `text` is plain text."""
        return escape(self.t.plain("label_and_title", label=self.t.plain("workshop_label", number=workshop.number), title=text))

    def _titled_plain(self, workshop: Workshop) -> str:
        """ "Workshop 1: Title" as text (the caller escapes it)."""
        return self.t.plain("label_and_title", label=self.t.plain("workshop_label", number=workshop.number),
                            title=workshop.title)

    def _lang(self, origin: Origin) -> str:
        """English text inside another language's document is marked (and set left to right)."""
        return "" if origin.lang == self.language.code else f' lang="{origin.lang}" dir="ltr"'

    def _text(self, text: str, origin: Origin) -> str:
        if origin.lang == self.language.code:
            return escape(text)
        return f'<span{self._lang(origin)}>{escape(text)}</span>'

    def _page(self, title: str, body: list[str], footer: str, cover: bool = False, first_page: int = 1) -> str:
        """`footer`: the CSS content of each page's foot (none on a cover); `first_page`: the
        number of the first page. The style the documents share is the engine's (stylesheet());
        what is here is this document's own."""
        lang, direction = self.language.code, self.language.direction
        bare = "@page :first { @bottom-center { content: none; } }" if cover else ""
        if first_page != 1:
            bare += f"@page :first {{ counter-reset: page {first_page}; }}"
        return ("<!DOCTYPE html>\n"
                f'<html lang="{lang}" dir="{direction}"><head><meta charset="utf-8"><title>{title}</title>'
                f'<meta name="generator" content="Teach Forward">'
                f"<style>@page {{ @bottom-center {{ content: {footer}; }} }}{bare}</style></head>"
                f"<body>{''.join(body)}</body></html>\n")


def sheet_anchor(material: Material) -> str:
    return f"sheet-{material.id}"


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _offsets(workshop: Workshop):
    """(minutes after the start, item) for each agenda item."""
    elapsed = 0
    for item in workshop.facts.agenda:
        yield elapsed, item
        elapsed += item.minutes


