"""What goes on each slide of a workshop's deck, as plain data: made from the content model
only, measured against the template's boxes, split where text would run off a slide.

The plan is what the cache hashes: the same plan, template and generator make the same file.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from babel.core import get_global

from teachforward.content import prose
from teachforward.content.formatting import agenda_times, elapsed, reading_names, total_minutes
from teachforward.content.model import SUMMARY_WORDS, AgendaItem, Exercise, Image, Language, Section, Workshop
from teachforward.decks import fit
from teachforward.decks.blocks import notes_text, plain, runs, slide_paras, tables
from teachforward.decks.images import PictureError, Pictures
from teachforward.decks.template import EMU_PER_PT, Design
from teachforward.decks.text import Para, Run, clean, plain_text, text_run
from teachforward.problems import Problems

Rows = tuple[tuple[str, ...], ...]      # a table's cells, row by row, the header first
PICTURE_SUFFIXES = {".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp"}
SMALLEST_TITLE = 24.0
SMALLEST_CAPTION = 12.0
AGENDA_SHORTEST_PAGE = 3      # rows (the total included) on the last slide of a split agenda
# The text of a slide may be set up to two sizes smaller (never below these) when that saves a
# slide; otherwise it is split at the layout's size.
SMALLEST_BODY = {"objectives": 20.0, "section": 20.0, "key_terms": 18.0, "closing": 18.0, "exercise": 20.0}
# A slide is read from the back of a room: at most this many words in its body. The agenda,
# the key terms and the closing's reading list are reference slides and may be denser (they
# are split only to fit): a second closing slide holding one book reads as a mistake.
MOST_WORDS = 60
DENSE = {"agenda", "key_terms", "closing"}
SHORTEST_SUMMARY_WORDS = 15   # a summary made from the scenario when one of SUMMARY_WORDS leaves the task no room
EXERCISE_SLIDES = 2


@dataclass(frozen=True)
class Picture:
    path: str                 # the source file (SVG or bitmap)
    digest: str               # sha256 of its bytes
    alt: str
    png: str                  # the file placed on the slide
    width: int                # pixels
    height: int


@dataclass(frozen=True)
class Slide:
    kind: str
    title: str
    title_size: float | None = None          # set when smaller than the layout's
    body: tuple[Para, ...] = ()
    body_size: float | None = None           # set when smaller than the layout's
    subtitle: str = ""
    meta: str = ""
    table: tuple[tuple[str, ...], ...] = ()  # rows, the header first
    table_bold_last: bool = False
    table_widths: tuple[float, ...] = ()     # points
    table_size: float = 18.0
    table_align: tuple[str, ...] = ()        # "l" | "ctr" | "r" per column; () for the agenda's own
    picture: Picture | None = None
    caption: str = ""
    caption_size: float | None = None        # set when smaller than the layout's
    notes: str = ""
    lang: str = "en"                         # the language the slide's text is written in
    continues: int | None = None             # index of the slide whose notes this part shares
    item: int = 0                            # the agenda item (index) the slide is shown in


@dataclass(frozen=True)
class Step:
    """An agenda item, as the presenter's pacing clock needs it."""
    minutes: int
    activity: str
    is_break: bool = False


@dataclass(frozen=True)
class Deck:
    workshop: str
    lang: str                 # the deck's language (BCP 47 code)
    language_tag: str         # with a region, as Office wants it: "ar-EG"
    rtl_languages: tuple[str, ...]
    title: str
    subject: str
    author: str
    footer: str
    date: int                 # seconds since 1970, UTC
    slides: tuple[Slide, ...]
    complex_script_font: str = ""
    agenda: tuple[Step, ...] = ()


# A deck string a translation lacks is better replaced by a translated string that says nearly
# the same than by English in the middle of the slide.
STAND_INS = {"deck_objectives": "objectives_title", "deck_exercise": None}


class Strings:
    """The deck's interface strings, from strings.yaml (English where a language lacks one)."""

    def __init__(self, language: Language, source: Language, is_source: bool = True):
        self.strings = language.strings
        self.source = source.strings
        self.translated = language.translated_strings
        self.is_source = is_source

    def __call__(self, key: str, **values) -> str:
        if not self.is_source and key in STAND_INS and key not in self.translated:
            stand_in = STAND_INS[key]
            if stand_in is None:
                return values.get("title", "")
            if stand_in in self.translated:
                key = stand_in
        text = self.strings.get(key) or self.source.get(key, key)
        try:
            return text.format(**values) if values else text
        except (KeyError, IndexError, ValueError):
            return self.source.get(key, key).format(**values)


def language_tag(code: str) -> str:
    """"ar" -> "ar-EG", "pt-BR" -> "pt-BR": Office marks text with a language and region."""
    if "-" in code:
        return code
    likely = get_global("likely_subtags").get(code.replace("-", "_"))
    if likely:
        parts = likely.split("_")
        region = next((p for p in parts[1:] if len(p) == 2 or p.isdigit()), None)
        if region:
            return f"{code}-{region}"
    return code


@dataclass
class _Planner:
    workshop: Workshop
    language: Language
    design: Design
    problems: Problems
    languages: dict[str, Language]           # code -> language, for the direction of fallback parts
    store: Pictures
    source_code: str = "en"
    slides: list[Slide] = field(default_factory=list)
    item: int = 0                            # the agenda item the slides being planned belong to

    def __post_init__(self):
        source = self.languages.get(self.source_code, self.language)
        self.t = Strings(self.language, source, is_source=self.language.code == self.source_code)
        self.code = self.language.code

    # --- helpers ---------------------------------------------------------------------------

    def add(self, slide: Slide, origin: Path | None = None, line: int | None = None) -> int:
        box = self.design.box(slide.kind, "title")
        smallest = min(SMALLEST_TITLE, box.level(0).size)
        size, ok = fit.title_size(slide.title, box, smallest)
        if not ok and origin is not None:
            self.problems.warn(origin, line, f'the slide title "{slide.title}" is too long to fit on a slide',
                               "shorten the heading")
        if size != box.level(0).size:
            slide = replace(slide, title_size=size)
        self.slides.append(replace(slide, item=self.item) if self.item else slide)
        return len(self.slides) - 1

    def titled(self, title: str, part: int, parts: int) -> str:
        return self.t("deck_part", title=title, part=part, parts=parts) if parts > 1 else title

    def pictures(self, images: tuple[Image, ...], origin: Path) -> list[Picture]:
        found = []
        for image in images:
            if image.path is None or not image.path.is_file():
                self.problems.warn(origin, image.line,
                                   f'the picture "{image.raw}" was not found, so it is left out of the slides',
                                   "check the file name under images/")
                continue
            if image.path.suffix.lower() not in PICTURE_SUFFIXES:
                self.problems.warn(origin, image.line, f'"{image.raw}" is not a picture the slides can show',
                                   "use an SVG, PNG or JPEG file")
                continue
            digest = hashlib.sha256(image.path.read_bytes()).hexdigest()
            try:
                png, width, height = self.store.png(image.path, digest)
            except (PictureError, OSError) as error:
                self.problems.warn(origin, image.line, f'the picture "{image.raw}" cannot be put on a slide: {error}',
                                   "check that the file opens in a browser")
                continue
            found.append(Picture(str(image.path), digest, plain_text(image.alt), str(png), width, height))
        return found

    def caption_size(self, kind: str, text: str) -> float | None:
        """The largest size, from the layout's own down to SMALLEST_CAPTION, at which the
        picture's description fits under it; None if it does not fit at all."""
        box = self.design.box(kind, "caption")
        size = box.level(0).size
        para = [Para((Run(text),), "plain")]
        while size >= SMALLEST_CAPTION:
            if fit.fits(para, fit.with_size(box, size)):
                return size
            size -= 1
        return None

    def with_caption(self, slide: Slide, origin: Path, picture: Picture) -> Slide:
        if not slide.caption:
            return slide
        size = self.caption_size(slide.kind, slide.caption)
        if size is None:
            line = next((i.line for i in self.all_images() if str(i.path) == picture.path), None)
            self.problems.warn(origin, line, "the picture's description is too long to show under it on the slide",
                               "keep the description to a sentence or two; say more in the notes")
            size = SMALLEST_CAPTION
        if size != self.design.box(slide.kind, "caption").level(0).size:
            slide = replace(slide, caption_size=size)
        return slide

    def all_images(self):
        for _, image in self.workshop.pictures():
            yield image

    def paginate(self, kind: str, paras: list[Para]) -> tuple[list[list[Para]], float | None, list[Para]]:
        """Pages of text for slides of `kind`: as few as the allowed sizes give, at the largest
        size that gives them, each within the box and (except dense kinds) MOST_WORDS.
        Returns (pages, size or None for the layout's own, paragraphs too tall for any page)."""
        box = self.design.box(kind, "body")
        base = box.level(0).size
        smallest = min(base, SMALLEST_BODY.get(kind, base))
        budget = None if kind in DENSE else MOST_WORDS
        best = None
        size = base
        while size >= smallest and size >= base - 4:
            pages, too_tall = pack_items(paras, fit.with_size(box, size), budget)
            if best is None or len(pages) < len(best[0]):
                best = (pages, size, too_tall)
            if len(pages) <= 1:
                break
            size -= 2
        assert best is not None              # the loop runs at least once, at the layout's size
        pages, size, too_tall = best
        return without_orphan(pages, fit.with_size(box, size), budget), (None if size == base else size), too_tall

    def lang_of(self, origin_lang: str) -> str:
        return origin_lang if origin_lang in self.languages else self.code

    # --- the slides ------------------------------------------------------------------------

    def plan(self) -> list[Slide]:
        self.title_slide()
        self.agenda()
        self.objectives()
        positions = self.agenda_positions()
        for item in self.content_order():
            self.item = positions.get(id(item), positions.get(getattr(item, "id", None), self.item))
            if isinstance(item, Exercise):
                self.exercise(item)
            elif isinstance(item, AgendaItem):
                self.break_slide(item)
            else:
                self.section(item)
        self.item = max(0, len(self.workshop.facts.agenda) - 1)
        self.key_terms()
        self.closing()
        return self.unique_titles()

    def agenda_positions(self) -> dict:
        """{section or exercise id, or id() of a break item: the index of its agenda item}."""
        found: dict = {}
        for index, item in enumerate(self.workshop.facts.agenda):
            if item.is_break:
                found[id(item)] = index
            elif item.ref and item.ref not in found:
                found[item.ref] = index
        return found

    def title_slide(self) -> None:
        w, t = self.workshop, self.t
        facts = w.facts
        line = f"{t('workshop_label', number=w.number)}  ·  {t('duration_minutes', minutes=facts.duration)}"
        notes = [plain_text(facts.summary), t("label_and_title", label=t("label_audience"), title=plain_text(facts.audience))]
        if w.notes and w.notes.intro.strip():
            notes.append(notes_text(w.notes.intro_prose.blocks))
        self.add(Slide("title", plain_text(facts.title), subtitle=clean(t("course_name")),
                       body=(Para((Run(line),), "plain"),), notes="\n\n".join(notes), lang=self.lang_of(w.facts_origin.lang)),
                 w.facts_origin.path, w.line_of("title"))

    def agenda(self) -> None:
        t, facts = self.t, self.workshop.facts
        kind = self.design.kinds["agenda"]
        size = float(kind.options.get("font_size", 18))
        header = (t("agenda_start"), t("agenda_minutes"), t("agenda_activity"))
        rows = [(start, str(item.minutes), plain_text(item.activity)) for start, item in agenda_times(facts.agenda)]
        minutes = total_minutes(facts.agenda)
        total = (elapsed(minutes), str(minutes), t("agenda_total"))
        pages, widths = self.agenda_pages(header, rows, total, size)
        if len(pages) > 1 and len(pages[-1]) < AGENDA_SHORTEST_PAGE:
            # The last slide of a split agenda takes rows from the one before: the total alone
            # on a slide reads as a mistake.
            moved = AGENDA_SHORTEST_PAGE - len(pages[-1])
            pages[-1][:0] = pages[-2][-moved:]
            del pages[-2][-moved:]
        for number, page in enumerate(pages, 1):
            self.add(Slide("agenda", self.titled(t("agenda_title"), number, len(pages)), table=(header, *page),
                           table_bold_last=number == len(pages), table_widths=widths, table_size=size,
                           lang=self.lang_of(self.workshop.facts_origin.lang)))

    def agenda_pages(self, header: tuple[str, str, str], rows: list[tuple[str, str, str]], total: tuple[str, str, str],
                     size: float) -> tuple[list[list[tuple[str, str, str]]], tuple[float, float, float]]:
        """The agenda's rows (the total last) in slides that fit at `size`, and the column widths."""
        _, _, width, height = self.design.geometry[("agenda", "table")]
        width_pt, height_pt = width / EMU_PER_PT, height / EMU_PER_PT
        first = max(size * 4.2, 80.0)
        second = max(size * 4.8, 90.0)
        widths = (first, second, width_pt - first - second)
        header_height = fit.table_row_height(list(header), list(widths), size, True)
        capacity = height_pt * fit.FILL
        pages: list[list[tuple[str, str, str]]] = []
        page: list[tuple[str, str, str]] = []
        used = header_height
        for row in rows + [total]:
            row_height = fit.table_row_height(list(row), list(widths), size, row is total)
            if page and used + row_height > capacity:
                pages.append(page)
                page, used = [], header_height
            page.append(row)
            used += row_height
        pages.append(page)
        return pages, widths

    def table_pages(self, rows: Rows) -> list[tuple[Rows, tuple[float, ...], float]]:
        """A table of the prose as the slides it needs: (rows with the header first, column
        widths, text size) per slide, the header repeated on each."""
        size = float(self.design.kinds["table"].options.get("font_size", 18))
        _, _, width, height = self.design.geometry[("table", "table")]
        columns = max(len(row) for row in rows)
        rows = tuple(row + ("",) * (columns - len(row)) for row in rows)
        widths = tuple(width / EMU_PER_PT / columns for _ in range(columns))
        header, body = rows[0], rows[1:]
        capacity = height / EMU_PER_PT * fit.FILL
        header_height = fit.table_row_height(list(header), list(widths), size, True)
        pages: list[list[tuple[str, ...]]] = []
        page: list[tuple[str, ...]] = []
        used = header_height
        for row in body:
            row_height = fit.table_row_height(list(row), list(widths), size)
            if page and used + row_height > capacity:
                pages.append(page)
                page, used = [], header_height
            page.append(row)
            used += row_height
        pages.append(page)
        return [((header, *page), widths, size) for page in pages]

    def objectives(self) -> None:
        t, facts = self.t, self.workshop.facts
        paras = [Para(text_run(t("objectives_intro")), "plain", keep_with_next=True)]
        paras += [Para(text_run(o), "bullet") for o in facts.objectives]
        pages, size, _ = self.paginate("objectives", paras)
        for number, page in enumerate(pages, 1):
            self.add(Slide("objectives", self.titled(t("deck_objectives"), number, len(pages)), body=tuple(page),
                           body_size=size,
                           lang=self.lang_of(self.workshop.facts_origin.lang)))

    def content_order(self) -> list:
        """The notes' sections in order, with each exercise placed where the agenda runs it and
        each break after the item the agenda has before it."""
        sections = list(self.workshop.notes.sections) if self.workshop.notes else []
        exercises = {e.id: e for e in self.workshop.exercises}
        section_ids = {s.id for s in sections}
        last: str | None = None              # the id of the last section or exercise the agenda names
        placed = set()
        inserts: dict[str | None, list] = {}
        for item in self.workshop.facts.agenda:
            if item.is_break:
                inserts.setdefault(last, []).append(item)
            elif item.ref in section_ids:
                last = item.ref
            elif item.ref in exercises and item.ref not in placed:
                inserts.setdefault(last, []).append(exercises[item.ref])
                placed.add(item.ref)
                last = item.ref

        def with_inserts(key: str | None) -> list:
            out = []
            for thing in inserts.get(key, []):
                out.append(thing)
                if isinstance(thing, Exercise):
                    out.extend(with_inserts(thing.id))
            return out

        result: list = with_inserts(None)
        for section in sections:
            result.append(section)
            result.extend(with_inserts(section.id))
        result.extend(e for e in self.workshop.exercises if e.id not in placed)
        return result

    def break_slide(self, item: AgendaItem) -> None:
        title = plain_text(item.activity)
        text = self.t("deck_break_text", minutes=item.minutes)
        lang = self.lang_of(self.workshop.facts_origin.lang)
        self.add(Slide("break", title, body=(Para(text_run(text), "plain"),), lang=lang),
                 self.workshop.facts_origin.path, None)

    def section(self, section: Section) -> None:
        notes_doc = self.workshop.notes
        assert notes_doc is not None         # sections come from the notes
        origin = notes_doc.origin.path
        lang = self.lang_of(notes_doc.origin.lang)
        paras = [Para(runs(point), "bullet") for point in section.points]
        plain_box = self.design.box("section", "body")
        for para in paras:
            if fit.paragraph_height(para, plain_box) > plain_box.height * fit.FILL:
                self.problems.warn(origin, section.line,
                                   f'a key point of "{section.title}" is too long for any slide: "{para.text[:60]}…"',
                                   "shorten it to one line; say the rest in the speaking notes")
        pictures = self.pictures(section.images, origin)
        title = clean(plain(section.heading))
        parts: list[tuple[str, tuple[Para, ...], Picture | None]] = []
        size = None
        if pictures and fit.fits(paras, self.design.box("section_picture", "body")) \
                and words(paras) + len(pictures[0].alt.split()) <= MOST_WORDS \
                and self.caption_size("section_picture", pictures[0].alt) is not None:
            parts.append(("section_picture", tuple(paras), pictures[0]))
            rest = pictures[1:]
        else:
            pages, size, _ = self.paginate("section", paras) if paras else ([[]], None, [])
            parts += [("section", tuple(page), None) for page in pages]
            rest = pictures
        parts += [("picture", (), picture) for picture in rest]
        # A table in the speaking notes is shown too: notes cannot hold one.
        table_slides = [Slide("table", "", table=rows, table_widths=widths, table_size=size, table_align=table.align,
                              lang=lang)
                        for table in tables(section.prose.blocks) for rows, widths, size in self.table_pages(table.rows)]
        first = None
        notes = notes_text(section.prose.blocks)
        for number, (kind, body, picture) in enumerate(parts, 1):
            slide = Slide(kind, self.titled(title, number, len(parts) + len(table_slides)), body=body, picture=picture,
                          body_size=size if kind == "section" else None,
                          caption=picture.alt if picture else "", lang=lang,
                          notes=notes if first is None else "", continues=first)
            if picture:
                slide = self.with_caption(slide, origin, picture)
            index = self.add(slide, origin, section.line)
            first = index if first is None else first
        for number, slide in enumerate(table_slides, len(parts) + 1):
            self.add(replace(slide, title=self.titled(title, number, len(parts) + len(table_slides)), continues=first),
                     origin, section.line)

    def exercise(self, exercise: Exercise) -> None:
        """One slide, two at most: what groups need in the room (the time, the group size, a
        short summary of the scenario, the task and the questions). What does not fit is in
        the participant handout, and everything, with the possible responses, in the notes.
        A table of the exercise gets slides of its own after the text it belongs with."""
        t = self.t
        origin = exercise.origin.path
        lang = self.lang_of(exercise.origin.lang)
        more = Para(text_run(t("deck_more_in_handout"), italic=True), "plain")
        parts = [part for part in (exercise.task, exercise.questions) if part is not None]
        # The author's summary, else one made from the scenario; shortened when at its first
        # length it leaves the task no room on the first slide (the task must be there).
        summaries = [exercise.summary] if exercise.summary else []
        summaries += [scenario_summary(exercise.scenario.prose.blocks, limit)
                      for limit in (SUMMARY_WORDS, SHORTEST_SUMMARY_WORDS)]
        # Each also without the pointer to the full scenario: the task's first item (with its
        # lead-in) is worth more than that line, and a cut slide ends with `more` anyway.
        tried = [(summary, pointer) for summary in summaries for pointer in (True, False)]
        fallback = None
        for summary, pointer in tried:
            opening = [Para(text_run(summary), "plain")] if summary.strip() else []
            if pointer:
                opening.append(Para(text_run(t("deck_handout_pointer"), italic=True), "plain"))
            blocks = [[Para(runs(part.heading, bold=True), "heading", keep_with_next=True),
                       *as_items(slide_paras(part.prose.blocks))] for part in parts]
            blocks[0] = opening + blocks[0]
            pages, size = self.exercise_pages(blocks, more)
            if len(pages[0]) > len(opening) + 1:
                break
            if pointer:
                fallback = (summary, pages, size)
        else:
            assert fallback is not None          # nothing gave the task room: the shortest summary, as before
            summary, pages, size = fallback
        if exercise.summary and summary != exercise.summary:
            self.problems.warn(origin, exercise.settings_line.get("summary"),
                               "the summary leaves the task no room on the exercise's slide, so the slide shows "
                               "the scenario's first words instead",
                               f"shorten the summary to about {SUMMARY_WORDS} words")
        # The scenario's and the task's tables follow the task's slide, the questions' the questions'.
        task_tables = tables(exercise.scenario.prose.blocks) + tables(exercise.task.prose.blocks)
        question_tables = tables(exercise.questions.prose.blocks) if exercise.questions else []
        if len(pages) == len(parts) == 2:
            tables_after = [task_tables, question_tables]
        else:
            tables_after = [[]] * (len(pages) - 1) + [task_tables + question_tables]
        pictures = self.pictures(tuple(i for part in exercise.parts if part is not exercise.responses
                                       for i in part.images), origin)
        meta = (t("label_and_title", label=t("exercise_group_size"), title=t("exercise_people", size=exercise.group_size))
                + "     " + t("label_and_title", label=t("exercise_time"), title=t("duration_minutes", minutes=exercise.minutes)))
        notes = exercise_notes(exercise, t)
        planned: list[Slide] = []
        for page, after in zip(pages, tables_after, strict=True):
            # Every slide carries the whole notes: the questions' slide needs the possible responses.
            planned.append(Slide("exercise", "", body=tuple(page), body_size=size, meta=meta, notes=notes, lang=lang))
            planned += [Slide("table", "", table=rows, table_widths=widths, table_size=table_size,
                              table_align=table.align, notes=notes, lang=lang)
                        for table in after for rows, widths, table_size in self.table_pages(table.rows)]
        planned += [Slide("picture", "", picture=picture, caption=picture.alt, lang=lang) for picture in pictures]
        title = t("deck_exercise", title=clean(plain(exercise.heading)))
        first = None
        for number, slide in enumerate(planned, 1):
            slide = replace(slide, title=self.titled(title, number, len(planned)), continues=first)
            if slide.picture is not None:
                slide = self.with_caption(slide, origin, slide.picture)
            index = self.add(slide, origin, exercise.scenario.line)
            first = index if first is None else first

    def exercise_pages(self, blocks: list[list[Para]], more: Para) -> tuple[list[list[Para]], float | None]:
        """At most EXERCISE_SLIDES pages: everything on one if it fits; else the task (with the
        scenario's summary) on the first and the questions on the second, each cut between
        items and ended by `more` (a pointer to the handout) when some are left out. Returns
        the pages and the text size (None: the layout's)."""
        box = self.design.box("exercise", "body")
        base = box.level(0).size
        best = None
        size = base
        while size >= min(base, SMALLEST_BODY["exercise"]):
            sized = fit.with_size(box, size)
            everything = [p for block in blocks for p in block]
            if _room_for(everything, sized):
                return [everything], (None if size == base else size)
            if len(blocks) == 1:
                pages, _ = pack_items(blocks[0], sized, MOST_WORDS)
                cut = [list(page) for page in pages[:EXERCISE_SLIDES]]
                if len(pages) > EXERCISE_SLIDES:
                    cut[-1] = _ended(cut[-1], [], more, sized, cut=True)
            else:
                cut = [_ended([], block, more, sized) for block in blocks[:EXERCISE_SLIDES]]
            kept = sum(len(page) for page in cut)
            if best is None or kept > best[0]:
                best = (kept, cut, size)
            size -= 2
        assert best is not None              # the loop runs at least once, at the layout's size
        _, pages, size = best
        return pages, (None if size == base else size)

    def key_terms(self) -> None:
        facts = self.workshop.facts
        if not facts.key_terms:
            return
        paras = []
        for term in facts.key_terms:
            name, definition = plain_text(term.term), plain_text(term.definition)
            text = self.t("deck_key_term", term=name, definition=definition)
            at = text.find(name)
            if at >= 0:
                pieces = [Run(text[:at]), Run(name, bold=True), Run(text[at + len(name):])]
            else:
                pieces = [Run(text)]
            paras.append(Para(tuple(r for r in pieces if r.text), "plain"))
        pages, size, _ = self.paginate("key_terms", paras)
        for number, page in enumerate(pages, 1):
            self.add(Slide("key_terms", self.titled(self.t("key_terms_title"), number, len(pages)), body=tuple(page),
                           body_size=size,
                           lang=self.lang_of(self.workshop.facts_origin.lang)))

    def closing(self) -> None:
        t, facts = self.t, self.workshop.facts
        paras = [Para(text_run(t("deck_closing_text")), "plain")]
        notes = []
        if facts.further_reading:
            paras.append(Para(text_run(t("reading_title"), bold=True), "heading", keep_with_next=True))
            for reading in facts.further_reading:
                text = _reading(reading)
                paras.append(Para((Run(text),), "plain"))
                notes.append(text + (f"\n{reading.url}" if reading.url else ""))
        pages, size, _ = self.paginate("closing", paras)
        for number, page in enumerate(pages, 1):
            self.add(Slide("closing", self.titled(t("deck_closing"), number, len(pages)), body=tuple(page),
                           body_size=size,
                           notes="\n\n".join(notes), lang=self.lang_of(self.workshop.facts_origin.lang)))

    def unique_titles(self) -> list[Slide]:
        seen: dict[str, int] = {}
        out = []
        for slide in self.slides:
            title = slide.title
            if title in seen:
                seen[title] += 1
                title = f"{title} ({seen[slide.title]})"
            seen.setdefault(title, 1)
            out.append(replace(slide, title=title) if title != slide.title else slide)
        # Continuation parts point at the slide that holds their notes.
        result = []
        for slide in out:
            if slide.continues is not None and not slide.notes:
                slide = replace(slide, notes=self.t("deck_notes_continued", slide=slide.continues + 1))
            result.append(slide)
        return result


def words(paras) -> int:
    """Words as the audience reads them (a question's number too)."""
    return sum(len(p.text.split()) + (p.style == "number") for p in paras)


def _room_for(paras: list[Para], box) -> bool:
    return words(paras) <= MOST_WORDS and fit.fits(paras, box)


def _ended(page: list[Para], items: list[Para], more: Para, box, cut: bool = False) -> list[Para]:
    """`page` with as many of `items` as fit, in order; ended by `more` when any is left out
    (and never with a heading or a lead-in whose items are left out: anything marked
    keep_with_next). cut: items after these were left out."""
    page = list(page)
    rest = list(items)
    while rest and _room_for(page + [rest[0]], box):
        page.append(rest.pop(0))
    if rest or cut:
        while page and not _room_for(page + [more], box):
            page.pop()
        while page and page[-1].keep_with_next:
            page.pop()
        page.append(more)
    return page


def without_orphan(pages: list[list[Para]], box, budget: int | None) -> list[list[Para]]:
    """The pages, but a last page of one paragraph (a lone key term, a lone book) takes the last
    item of the page before, when it fits: a slide holding one line after a full one reads as a
    mistake."""
    if len(pages) < 2 or len(pages[-1]) > 1 or len(pages[-2]) < 3:
        return pages
    before = list(pages[-2])
    moved = [before.pop()]
    while before and before[-1].keep_with_next:          # a heading goes with its item
        moved.insert(0, before.pop())
    last = moved + list(pages[-1])
    if not before or not fit.fits(last, box) or (budget is not None and words(last) > budget):
        return pages
    return [*pages[:-2], before, last]


def pack_items(paras: list[Para], box, budget: int | None) -> tuple[list[list[Para]], list[Para]]:
    """The paragraphs in pages, cut only between items (a heading or a paragraph marked
    keep_with_next stays with the next one): each page fits the box and holds at most `budget`
    words (None: no limit). Returns the pages and the items too big for any page alone (each
    then has a page of its own)."""
    groups: list[list[Para]] = []
    for para in paras:
        if groups and groups[-1][-1].keep_with_next:
            groups[-1].append(para)
        else:
            groups.append([para])
    pages: list[list[Para]] = []
    too_big: list[Para] = []
    page: list[Para] = []
    for group in groups:
        candidate = page + group
        if not page or (fit.fits(candidate, box) and (budget is None or words(candidate) <= budget)):
            page = candidate
        else:
            pages.append(page)
            page = list(group)
        if len(page) == len(group) and not (fit.fits(group, box) and (budget is None or words(group) <= budget)):
            if len(group) > 1:               # a heading and its item too big together: apart
                pages.append(group[:-1])
                page = group[-1:]
            if not fit.fits(page, box) or (budget is not None and words(page) > budget):
                too_big.extend(page)
    if page:
        pages.append(page)
    return pages, too_big


_SENTENCE = re.compile(r"(?<=[.!?؟。])\s+")


def sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.split(text.strip()) if s]


def scenario_summary(blocks: tuple[prose.Block, ...], limit: int = 0) -> str:
    """The first sentence or two of a scenario's first paragraph (two when they make at most
    `limit` words). A first sentence longer than that is cut short, at a comma if there is one
    late enough, and ends with "…": the slide leaves room for the task (the author's `summary`
    is better)."""
    first = next((p for p in slide_paras(blocks) if p.style == "plain" and p.text.strip()), None)
    if first is None:
        return ""
    limit = limit or SUMMARY_WORDS
    found = sentences(first.text)
    summary = found[0]
    if len(summary.split()) > limit:
        words_ = summary.split()[:limit]
        pause = max((i for i, word in enumerate(words_) if word.endswith((",", ";", ":", "،", "؛")) and i >= limit // 3),
                    default=None)
        words_ = words_[:pause + 1] if pause is not None else words_
        return " ".join(words_).rstrip(",;:،؛") + "…"
    if len(found) > 1 and len((summary + " " + found[1]).split()) <= limit:
        summary += " " + found[1]
    return summary


def as_items(paras: list[Para]) -> list[Para]:
    """The paragraphs of a task or questions as items for a slide: a long plain paragraph of
    instructions becomes one item per sentence (so that slides can be cut between them)."""
    out: list[Para] = []
    for para in paras:
        if para.style == "plain" and len(para.text.split()) > 25 and len(para.runs) == 1 \
                and not para.runs[0].bold and len(sentences(para.text)) > 1:
            run = para.runs[0]
            items = [Para((Run(s, run.bold, run.italic),), "plain") for s in _whole_sentences(para.text)]
            # A lead-in's last sentence is what introduces the list after it.
            items[-1] = replace(items[-1], keep_with_next=para.keep_with_next)
            out.extend(items)
        else:
            out.append(para)
    return out


SHORTEST_ITEM = 6        # words: a shorter sentence ("This is a jigsaw.") goes with the next one


def _whole_sentences(text: str) -> list[str]:
    """The sentences of an instruction, each short one joined to the one after it: a slide cut
    after "This is a jigsaw." would show an instruction that says nothing."""
    out: list[str] = []
    for sentence in sentences(text):
        if out and len(out[-1].split()) < SHORTEST_ITEM:
            out[-1] += " " + sentence
        else:
            out.append(sentence)
    return out


def exercise_notes(exercise: Exercise, t) -> str:
    """The speaker notes of an exercise: the whole scenario, task and questions, then the
    possible responses (which are never on a slide)."""
    parts = []
    for part in (exercise.scenario, exercise.task, exercise.questions):
        if part is not None:
            parts.append(f"{clean(plain(part.heading))}\n\n{notes_text(part.prose.blocks)}")
    parts.append(f"{t('exercise_responses')}\n{t('deck_responses_note')}\n\n{notes_text(exercise.responses.prose.blocks)}")
    return "\n\n".join(parts)


def _reading(reading) -> str:
    parts = [plain_text(reading.title)]
    detail = ", ".join(plain_text(x) for x in reading_names(reading))
    if reading.year:
        detail = f"{detail} ({reading.year})" if detail else str(reading.year)
    if detail:
        parts.append(detail)
    return " – ".join(parts)


def plan_deck(workshop: Workshop, language: Language, languages: dict[str, Language], design: Design,
              pictures: Pictures, problems: Problems, date: int, author: str, complex_script_font: str = "",
              source_code: str = "en") -> Deck:
    planner = _Planner(workshop, language, design, problems, languages, pictures, source_code)
    slides = tuple(planner.plan())
    t = planner.t
    rtl = tuple(sorted(code for code, lang in languages.items() if lang.direction == "rtl"))
    footer = f"{t('course_name')}  ·  {t('workshop_label', number=workshop.number)}"
    agenda = tuple(Step(item.minutes, plain_text(item.activity), item.is_break) for item in workshop.facts.agenda)
    return Deck(workshop.folder, language.code, language_tag(language.code), rtl, plain_text(workshop.title),
                plain_text(workshop.facts.summary), author, clean(footer), date, slides, complex_script_font, agenda)
