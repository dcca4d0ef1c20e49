"""What goes on each slide of a workshop's deck, as plain data: made from the content model
only, measured against the template's boxes, split where text would run off a slide.

The plan is what the cache hashes: the same plan, template and generator make the same file.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, replace
from pathlib import Path

from babel.core import get_global

from teachforward.content.model import Exercise, Image, Language, Section, Workshop
from teachforward.decks import fit
from teachforward.decks.images import PictureError, Pictures
from teachforward.decks.template import Design
from teachforward.decks.text import Para, Run, clean, notes_text, plain, runs, slide_paras
from teachforward.problems import Problems

# English defaults for every string a deck uses, so that a course whose strings.yaml lacks
# one (an older copy, a test fixture) still gets a readable deck.
DEFAULTS = {
    "course_name": "Teach Forward",
    "workshop_label": "Workshop {number}",
    "duration_minutes": "{minutes} minutes",
    "label_audience": "Who it is for",
    "agenda_title": "Agenda",
    "agenda_start": "Start",
    "agenda_minutes": "Minutes",
    "agenda_activity": "Activity",
    "agenda_total": "Total",
    "objectives_intro": "By the end of the workshop, participants will be able to:",
    "key_terms_title": "Key terms",
    "reading_title": "Further reading",
    "exercise_group_size": "Group size",
    "exercise_people": "{size} people",
    "exercise_time": "Time",
    "exercise_responses": "Possible responses",
    "deck_objectives": "Learning objectives",
    "deck_exercise": "Exercise: {title}",
    "deck_part": "{title} ({part}/{parts})",
    "deck_key_term": "{term}: {definition}",
    "deck_closing": "Closing",
    "deck_closing_text": "Thank you. Questions, comments, next steps?",
    "deck_notes_continued": "The speaking notes for this part are on slide {slide}.",
    "deck_responses_note": "Only in these notes, never on the slide:",
}
PICTURE_SUFFIXES = {".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp"}
SMALLEST_TITLE = 24.0
SMALLEST_CAPTION = 12.0
# The text of a slide may be set up to two sizes smaller (never below these) when that saves a
# slide; otherwise it is split at the layout's size.
SMALLEST_BODY = {"objectives": 20.0, "section": 20.0, "key_terms": 18.0, "closing": 18.0, "exercise": 18.0}


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
    picture: Picture | None = None
    caption: str = ""
    caption_size: float | None = None        # set when smaller than the layout's
    notes: str = ""
    lang: str = "en"                         # the language the slide's text is written in
    continues: int | None = None             # index of the slide whose notes this part shares


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


# A deck string a translation lacks is better replaced by a translated string that says nearly
# the same than by English in the middle of the slide.
STAND_INS = {"deck_objectives": "objectives_title", "deck_exercise": None}


class Strings:
    def __init__(self, language: Language, is_source: bool = True):
        self.strings = language.strings
        self.translated = language.translated_strings
        self.is_source = is_source

    def __call__(self, key: str, **values) -> str:
        if not self.is_source and key in STAND_INS and key not in self.translated:
            stand_in = STAND_INS[key]
            if stand_in is None:
                return values.get("title", "")
            if stand_in in self.translated:
                key = stand_in
        text = self.strings.get(key) or DEFAULTS.get(key, key)
        try:
            return text.format(**values) if values else text
        except (KeyError, IndexError, ValueError):
            return DEFAULTS.get(key, key).format(**values)


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

    def __post_init__(self):
        self.t = Strings(self.language, is_source=self.language.code == self.source_code)
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
        self.slides.append(slide)
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
            found.append(Picture(str(image.path), digest, clean(plain(image.alt)), str(png), width, height))
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
        for document in (self.workshop.notes,):
            if document:
                for section in document.sections:
                    yield from section.images
        for exercise in self.workshop.exercises:
            for part in exercise.parts:
                yield from part.images

    def paginate(self, kind: str, paras: list[Para]) -> tuple[list[list[Para]], float | None, list[Para]]:
        """Pages of text for slides of `kind`: as few as the allowed sizes give, at the largest
        size that gives them. Returns (pages, size or None for the layout's own, too tall)."""
        box = self.design.box(kind, "body")
        base = box.level(0).size
        smallest = min(base, SMALLEST_BODY.get(kind, base))
        best: tuple[list[list[Para]], float, list[Para]] | None = None
        size = base
        while size >= smallest and size >= base - 4:
            pages, too_tall = fit.pack(paras, fit.with_size(box, size))
            if best is None or len(pages) < len(best[0]):
                best = (pages, size, too_tall)
            if len(pages) <= 1:
                break
            size -= 2
        assert best is not None       # the first size always gives one
        pages, size, too_tall = best
        return pages, (None if size == base else size), too_tall

    def lang_of(self, origin_lang: str) -> str:
        return origin_lang if origin_lang in self.languages else self.code

    # --- the slides ------------------------------------------------------------------------

    def plan(self) -> list[Slide]:
        self.title_slide()
        self.agenda()
        self.objectives()
        for item in self.content_order():
            if isinstance(item, Exercise):
                self.exercise(item)
            else:
                self.section(item)
        self.key_terms()
        self.closing()
        return self.unique_titles()

    def title_slide(self) -> None:
        w, t = self.workshop, self.t
        facts = w.facts
        line = f"{t('workshop_label', number=w.number)}  ·  {t('duration_minutes', minutes=facts.duration)}"
        notes = [plain(facts.summary), f"{t('label_audience')}: {plain(facts.audience)}"]
        if w.notes and w.notes.intro.strip():
            notes.append(notes_text(w.notes.intro))
        self.add(Slide("title", clean(plain(facts.title)), subtitle=clean(t("course_name")),
                       body=(Para((Run(line),), "plain"),), notes="\n\n".join(notes), lang=self.lang_of(w.facts_origin.lang)),
                 w.facts_origin.path, w.line_of("title"))

    def agenda(self) -> None:
        t, facts = self.t, self.workshop.facts
        kind = self.design.kinds["agenda"]
        size = float(kind.options.get("font_size", 18))
        _, _, width, height = self.design.geometry[("agenda", "table")]
        width_pt, height_pt = width / 12700, height / 12700
        first = max(size * 4.2, 80.0)
        second = max(size * 4.8, 90.0)
        widths = (first, second, width_pt - first - second)
        header = (t("agenda_start"), t("agenda_minutes"), t("agenda_activity"))
        rows, clock = [], 0
        for item in facts.agenda:
            rows.append((f"{clock // 60}:{clock % 60:02d}", str(item.minutes), clean(plain(item.activity))))
            clock += item.minutes
        total = (f"{clock // 60}:{clock % 60:02d}", str(clock), t("agenda_total"))
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
        for number, page in enumerate(pages, 1):
            self.add(Slide("agenda", self.titled(t("agenda_title"), number, len(pages)), table=(header, *page),
                           table_bold_last=number == len(pages), table_widths=widths, table_size=size,
                           lang=self.lang_of(self.workshop.facts_origin.lang)))

    def objectives(self) -> None:
        t, facts = self.t, self.workshop.facts
        paras = [Para(runs(t("objectives_intro")), "plain", keep_with_next=True)]
        paras += [Para(runs(o), "bullet") for o in facts.objectives]
        pages, size, _ = self.paginate("objectives", paras)
        for number, page in enumerate(pages, 1):
            self.add(Slide("objectives", self.titled(t("deck_objectives"), number, len(pages)), body=tuple(page),
                           body_size=size,
                           lang=self.lang_of(self.workshop.facts_origin.lang)))

    def content_order(self) -> list:
        """The notes' sections in order, with each exercise placed where the agenda runs it."""
        sections = list(self.workshop.notes.sections) if self.workshop.notes else []
        exercises = {e.id: e for e in self.workshop.exercises}
        order: list = list(sections)
        section_ids = {s.id for s in sections}
        last_section = None
        placed = set()
        inserts: dict[str | None, list[Exercise]] = {}
        for item in self.workshop.facts.agenda:
            if item.ref in section_ids:
                last_section = item.ref
            elif item.ref in exercises and item.ref not in placed:
                inserts.setdefault(last_section, []).append(exercises[item.ref])
                placed.add(item.ref)
        result: list = list(inserts.get(None, []))
        for section in order:
            result.append(section)
            result.extend(inserts.get(section.id, []))
        result.extend(e for e in self.workshop.exercises if e.id not in placed)
        return result

    def section(self, section: Section) -> None:
        notes_doc = self.workshop.notes
        assert notes_doc is not None      # sections come from the notes
        origin = notes_doc.origin.path
        lang = self.lang_of(notes_doc.origin.lang)
        paras = [Para(runs(point), "bullet") for point in section.key_points]
        plain_box = self.design.box("section", "body")
        for para in paras:
            if fit.paragraph_height(para, plain_box) > plain_box.height * fit.FILL:
                self.problems.warn(origin, section.line,
                                   f'a key point of "{section.title}" is too long for any slide: "{para.text[:60]}…"',
                                   "shorten it to one line; say the rest in the speaking notes")
        pictures = self.pictures(section.images, origin)
        title = clean(plain(section.title))
        parts: list[tuple[str, tuple[Para, ...], Picture | None]] = []
        size = None
        if pictures and fit.fits(paras, self.design.box("section_picture", "body")) \
                and self.caption_size("section_picture", pictures[0].alt) is not None:
            parts.append(("section_picture", tuple(paras), pictures[0]))
            rest = pictures[1:]
        else:
            pages, size, _ = self.paginate("section", paras) if paras else ([[]], None, [])
            parts += [("section", tuple(page), None) for page in pages]
            rest = pictures
        parts += [("picture", (), picture) for picture in rest]
        first = None
        notes = notes_text(section.body)
        for number, (kind, body, picture) in enumerate(parts, 1):
            slide = Slide(kind, self.titled(title, number, len(parts)), body=body, picture=picture,
                          body_size=size if kind == "section" else None,
                          caption=picture.alt if picture else "", lang=lang,
                          notes=notes if first is None else "", continues=first)
            if picture:
                slide = self.with_caption(slide, origin, picture)
            index = self.add(slide, origin, section.line)
            first = index if first is None else first

    def exercise(self, exercise: Exercise) -> None:
        t = self.t
        origin = exercise.origin.path
        lang = self.lang_of(exercise.origin.lang)
        paras: list[Para] = []
        images: list[Image] = []
        for part in (exercise.scenario, exercise.task, exercise.questions):
            if part is None:
                continue
            paras.append(Para(runs(part.title, bold=True), "heading", keep_with_next=True))
            paras.extend(slide_paras(part.body))
            images.extend(part.images)
        pages, size, too_tall = self.paginate("exercise", paras)
        for para in too_tall:
            self.problems.warn(origin, exercise.scenario.line, f'a paragraph is too long for any slide: "{para.text[:60]}…"',
                               "cut it into shorter sentences")
        pictures = self.pictures(tuple(images), origin)
        meta = (f"{t('exercise_group_size')}: {t('exercise_people', size=exercise.group_size)}     "
                f"{t('exercise_time')}: {t('duration_minutes', minutes=exercise.minutes)}")
        notes = f"{t('exercise_responses')}\n{t('deck_responses_note')}\n\n{notes_text(exercise.responses.body)}"
        title = t("deck_exercise", title=clean(plain(exercise.title)))
        total = len(pages) + len(pictures)
        for number, page in enumerate(pages, 1):
            self.add(Slide("exercise", self.titled(title, number, total), body=tuple(page), body_size=size,
                           meta=meta, notes=notes,
                           lang=lang), origin, exercise.scenario.line)
        for number, picture in enumerate(pictures, len(pages) + 1):
            slide = Slide("picture", self.titled(title, number, total), picture=picture, caption=picture.alt,
                          notes=notes, lang=lang)
            self.add(self.with_caption(slide, origin, picture), origin, exercise.scenario.line)

    def key_terms(self) -> None:
        facts = self.workshop.facts
        if not facts.key_terms:
            return
        paras = []
        for term in facts.key_terms:
            name, definition = clean(plain(term.term)), clean(plain(term.definition))
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
        paras = [Para(runs(t("deck_closing_text")), "plain")]
        notes = []
        if facts.further_reading:
            paras.append(Para(runs(t("reading_title"), bold=True), "heading", keep_with_next=True))
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


def _reading(reading) -> str:
    parts = [clean(plain(reading.title))]
    detail = ", ".join(clean(plain(x)) for x in (reading.author, reading.publisher) if x)
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
    return Deck(workshop.folder, language.code, language_tag(language.code), rtl, clean(plain(workshop.title)),
                clean(plain(workshop.facts.summary)), author, clean(footer), date, slides, complex_script_font)
