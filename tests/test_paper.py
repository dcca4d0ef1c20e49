"""The printed course: the PDFs the real course's build made (once per run, `real_course`).

Every PDF opens and its pages are A4 or Letter with no word outside them; the participant
packs (PDF and zip) hold the exercises, key points and participants' worksheets and nothing a
facilitator alone should see, in every language; the course book has its contents with page
numbers, the possible responses and the glossary, and is right to left in Arabic. That two
builds give the same bytes is tested with the whole site (test_reproducible.py), PDFs included.
"""
from __future__ import annotations

import html
import re
import subprocess
import unicodedata
import zipfile
from functools import cache
from pathlib import Path

import pytest

from helpers import REPO
from teachforward.content import prose
from teachforward.content.loader import load_course
from teachforward.content.model import Course, Workshop
from teachforward.paper.build import book_name, materials_name, pack_name

pytestmark = pytest.mark.skipif(not Path("/usr/bin/pdftotext").exists(),
                                reason="poppler-utils (pdftotext, pdfinfo) not installed")

POINTS = {"a4": (595.28, 841.89), "letter": (612.0, 792.0)}
MM = 72 / 25.4


@pytest.fixture(scope="module")
def course(real_course) -> Course:
    loaded, problems = load_course(real_course.root)
    assert loaded is not None, problems
    return loaded


def downloads(real_course, lang: str) -> Path:
    return real_course.site / lang / "downloads"


ARABIC_LETTER = re.compile(r"[\u0620-\u064a\u066e-\u06d3]")


@cache
def text_of(path: Path) -> str:
    """The words of each page in reading order, one page after another ("\\f" between them),
    without the page's foot (the page number or the sheet's name, which would otherwise cut a
    paragraph that runs on to the next page in two).

    Read from the words' positions (pdftotext -bbox). pdftotext's own text is right for a page
    in a left-to-right language, but not for a right-to-left one: it cuts an Arabic line into
    pieces at a number, a Latin word or a lone vowel mark and puts the pieces in the wrong order.
    Poppler gives the words' letters in their visual order, left to right, so a page with Arabic
    is read line by line (words on the same level), each line right to left with each Arabic
    word's letters turned back, and a run of left-to-right words in it (a number, an English
    name) kept in its own order."""
    pages = []
    for width, _, words in pages_and_words(path):
        lines = text_lines(words)
        if lines:
            foot = lines[-1]      # the lowest line, centred, and below the rest
            left, right = min(w[0] for w in foot), max(w[2] for w in foot)
            if abs((left + right) - width) < 4 and (len(lines) == 1 or max(w[3] for w in lines[-2]) < foot[0][1]):
                lines.pop()
        if any(ARABIC_LETTER.search(w[4]) for line in lines for w in line):
            pages.append("\n".join(read_line(line) for line in lines))
        else:
            kept = {id(w) for line in lines for w in line}
            pages.append(" ".join(w[4] for w in words if id(w) in kept))     # pdftotext's order
    return "\f".join(pages)


def text_lines(words: list) -> list[list]:
    """The words grouped in lines, top to bottom, by the middle of their boxes (a box's top and
    bottom come from its first letter's font, and the Latin and Arabic fonts' differ; a box is
    taller where a letter carries a mark above it)."""
    def middle(word) -> float:
        return (word[1] + word[3]) / 2

    lines: list[list] = []
    for word in sorted(words, key=middle):
        if lines and middle(word) - middle(lines[-1][0]) < min(w[3] - w[1] for w in (word, lines[-1][0])) / 3:
            lines[-1].append(word)
        else:
            lines.append([word])
    return lines


def read_line(words: list) -> str:
    """One line's words in reading order: right to left when it has Arabic (see text_of)."""
    if not any(ARABIC_LETTER.search(w[4]) for w in words):
        return " ".join(w[4] for w in sorted(words, key=lambda w: w[0]))
    out: list[str] = []
    run: list[str] = []            # left-to-right words met while going right to left
    for word in sorted(words, key=lambda w: -w[0]):
        if ARABIC_LETTER.search(word[4]):
            out += run[::-1] + [word[4][::-1]]
            run = []
        else:
            run.append(word[4])
    return " ".join(out + run[::-1])


def squeezed(text: str) -> str:
    """Text compared by its letters alone: without spaces, line breaks, punctuation, accents,
    vowel marks or digits. What is left out is what poppler cannot give back in order from a
    right-to-left line: a number's digits (reversed or moved where they touch Arabic letters or
    a separator, "09-08"), the marks, the letters of the lam-alef and lam-alef-maksura ligatures,
    which come out the wrong way round ("األ" for "الأ"), and the hamza on a seat, which the font
    draws as a seat and a mark whose text poppler gets wrong ("الهي ة" for "الهيئة"): lam, alef
    maksura, the hamza and the alef forms are left out. The rest of each Arabic word's letters
    are compared in order; the chunks compared are long (chunks())."""
    text = re.sub("[ء-ئ]", "", text)        # before NFKD, which would leave a hamza's seat
    text = unicodedata.normalize("NFKD", text).casefold()
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[\W\d_الى]+", "", text)


def info(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return dict(line.split(":", 1) for line in out.splitlines() if ":" in line)


def pages_and_words(path: Path) -> list[tuple[float, float, list[tuple[float, float, float, float, str]]]]:
    """(width, height, [(xMin, yMin, xMax, yMax, text) of each word]) per page, from pdftotext -bbox."""
    out = subprocess.run(["pdftotext", "-bbox", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                         check=True).stdout
    pages = []
    for page in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', out, re.S):
        box = r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">(.*?)</word>'
        words = [(float(x0), float(y0), float(x1), float(y1), html.unescape(text))
                 for x0, y0, x1, y1, text in re.findall(box, page.group(3))]
        pages.append((float(page.group(1)), float(page.group(2)), words))
    return pages


def chunks(blocks: tuple, shortest: int = 25) -> list[str]:
    """The paragraphs and list items of some prose, as plain text long enough to be telling."""
    found = []
    for block in blocks:
        if isinstance(block, prose.Paragraph):
            found.append(prose.plain_text(block.inlines))
        elif isinstance(block, prose.ListBlock):
            for item in block.items:
                found += chunks(item.blocks, shortest)
        elif isinstance(block, (prose.Quote, prose.Admonition)):
            found += chunks(block.blocks, shortest)
    return [text for text in found if len(squeezed(text)) >= shortest]


def facilitator_only(workshop: Workshop) -> list[str]:
    """Text that never goes to participants: possible responses, the guide, the speaking
    text and the facilitators' materials."""
    texts = [t for e in workshop.exercises for t in chunks(e.responses.prose.blocks)]
    if workshop.guide:
        texts += [t for p in workshop.guide.proses() for t in chunks(p.blocks)]
    if workshop.notes:
        texts += [t for s in workshop.notes.sections for t in chunks(s.prose.blocks)]
    for material in workshop.materials:
        if material.audience == "facilitators":
            texts += [t for p in material.document.proses() for t in chunks(p.blocks)]
    return texts


def participant_files(real_course, lang: str, workshop: Workshop, tmp_path: Path) -> list[Path]:
    name = pack_name(workshop.folder, lang)
    folder = downloads(real_course, lang)
    with zipfile.ZipFile(folder / f"{name}.zip") as zipped:
        names = zipped.namelist()
        assert f"{name}/{name}-a4.pdf" in names
        zipped.extractall(tmp_path / lang)
    return [folder / f"{name}-a4.pdf", *sorted((tmp_path / lang / name).glob("*.pdf"))]


LANGUAGES = ("en", "fr", "es", "pt", "ar")


def all_pdfs(real_course) -> list[Path]:
    found = sorted(real_course.site.glob("*/downloads/*.pdf"))
    assert {p.parent.parent.name for p in found} == set(LANGUAGES)
    return found


def test_every_pdf_opens_with_its_paper_size_and_no_word_outside_what_a4_and_letter_share(real_course):
    """Every page of every PDF is of the paper its name says, and each word's box lies inside the
    part of the page that A4 and Letter share (centred, as the A4 and Letter files are made),
    10 mm away from its edges: nothing is cut off on either paper, nor too near an edge for a
    printer. No page holds only its foot (a form that runs over by a ruled line)."""
    shared = (min(POINTS["a4"][0], POINTS["letter"][0]), min(POINTS["a4"][1], POINTS["letter"][1]))
    for path in all_pdfs(real_course):
        facts = info(path)
        paper = "letter" if "-letter" in path.name else "a4"
        assert paper in facts["Page size"].lower(), (path.name, facts["Page size"])
        pages = pages_and_words(path)
        assert len(pages) == int(facts["Pages"]) >= 1, path.name
        for number, (width, height, words) in enumerate(pages, 1):
            assert sorted((width, height)) == pytest.approx(sorted(POINTS[paper]), abs=1), path.name
            inner = shared if width < height else shared[::-1]
            left, top = (width - inner[0]) / 2 + 10 * MM, (height - inner[1]) / 2 + 10 * MM
            right, bottom = width - left, height - top
            for x0, y0, x1, y1, word in words:
                assert left <= x0 and x1 <= right and top <= y0 and y1 <= bottom, \
                    f"{path.name} page {number}: {word!r} at ({x0:.0f}, {y0:.0f})-({x1:.0f}, {y1:.0f}) on a " \
                    f"{width:.0f}x{height:.0f} page, outside ({left:.0f}, {top:.0f})-({right:.0f}, {bottom:.0f})"
            assert len(text_lines(words)) >= 2, f"{path.name} page {number}: nothing but its foot"


PROJECT_FONTS = {"Noto-Sans", "Noto-Sans-Bold", "Noto-Sans-Italic", "Noto-Sans-BoldItalic", "Noto-Sans-Arabic",
                 "Noto-Sans-Arabic-Bold"}


def test_every_pdf_is_drawn_with_the_projects_fonts_alone_all_embedded(real_course):
    """fonts/ and nothing of the host's: a character the fonts lack would be drawn with a system
    font (as the ballot box once was, in DejaVu Sans), which another machine may not have."""
    for path in all_pdfs(real_course):
        rows = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
        used = {row.split()[0].split("+", 1)[-1]: row.split()[-5] for row in rows}
        assert used and set(used) <= PROJECT_FONTS, f"{path.name}: {sorted(set(used) - PROJECT_FONTS)}"
        assert set(used.values()) == {"yes"}, f"{path.name}: a font not embedded"
        if "-ar-" in path.name:
            assert "Noto-Sans-Arabic" in used, path.name


def test_a_landscape_material_prints_on_a_landscape_page(real_course, course):
    workshop = course.language("en").workshops[2]
    landscape = [m for m in workshop.materials if m.orientation == "landscape"]
    assert landscape, "workshop 3's rights worksheet is landscape"
    for paper in ("a4", "letter"):
        pages = pages_and_words(downloads(real_course, "en") / materials_name(workshop.folder, "en", paper))
        wide = [words for width, height, words in pages if width > height]
        assert wide and len(wide) < len(pages)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_participant_files_hold_no_possible_response_and_nothing_for_facilitators_only(real_course, course, lang, tmp_path):
    for workshop in course.language(lang).workshops:
        files = participant_files(real_course, lang, workshop, tmp_path)
        given = squeezed("".join(text_of(path) for path in files))
        # What they must hold, so that looking for the rest in their text means something.
        must = [t for e in workshop.exercises for part in (e.scenario, e.task) for t in chunks(part.prose.blocks)]
        must += [prose.plain_text(point) for s in (workshop.notes.sections if workshop.notes else ()) for point in s.points]
        must += [k.term for k in workshop.facts.key_terms]
        must += [m.title for m in workshop.materials if m.audience == "participants"]
        missing = [t for t in must if squeezed(t) not in given]
        assert not missing, f"{lang} {workshop.folder}: the participant pack lacks {missing[:3]}"
        # Words that the participants' own parts say too (a question a worksheet asks as well)
        # are not facilitator-only.
        theirs = squeezed("".join(must + [t for m in workshop.materials if m.audience == "participants"
                                          for p in m.document.proses() for t in chunks(p.blocks, 0)]
                                  + [t for e in workshop.exercises if e.questions for t in chunks(e.questions.prose.blocks, 0)]))
        leaked = [t for t in facilitator_only(workshop) if squeezed(t) in given and squeezed(t) not in theirs]
        assert not leaked, f"{lang} {workshop.folder}: a participant file holds facilitator-only text: {leaked[:3]}"
        for material in workshop.materials:
            if material.audience == "facilitators":
                assert squeezed(material.title) not in given or any(
                    squeezed(material.title) in squeezed(m.title) for m in workshop.materials if m.audience == "participants"), \
                    f"{lang}: {material.title} is for facilitators"


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_course_book_has_contents_with_page_numbers_responses_materials_and_glossary(real_course, course, lang):
    path = downloads(real_course, lang) / book_name(lang, "a4")
    text = text_of(path)
    pages = text.split("\f")
    language = course.language(lang)
    # The contents list every workshop with the page it starts on, and that page has its title.
    contents = subprocess.run(["pdftotext", "-layout", "-f", "2", "-l", "2", str(path), "-"], capture_output=True,
                              text=True, check=True).stdout
    line = r"^.*?(?:(\d+)\s*\.{3,}.*|\.{3,}\s*(\d+))\s*$"     # the number after the dots, or before them (Arabic)
    numbered = [int(m.group(1) or m.group(2)) for m in re.finditer(line, contents.replace("\u202a", "").replace("\u202b", "")
                                                                   .replace("\u202c", ""), re.M)]
    parts = sum(2 + (w.notes is not None) + (w.guide is not None) + bool(w.exercises) + bool(w.materials)
                for w in language.workshops)
    assert len(numbered) == parts + 1, f"{lang}: {len(numbered)} numbered contents lines for {parts + 1} entries"
    assert numbered == sorted(numbered) and numbered[0] == 3, numbered
    for workshop in language.workshops:
        assert squeezed(workshop.title) in squeezed(contents)
        assert any(squeezed(workshop.title) in squeezed(pages[n - 1]) for n in numbered), workshop.title
    given = squeezed(text)
    for workshop in language.workshops:
        for exercise in workshop.exercises:
            response = chunks(exercise.responses.prose.blocks)
            assert response and squeezed(response[0]) in given, f"{exercise.id}: its possible responses"
        for material in workshop.materials:
            assert squeezed(material.title) in given
        if workshop.facts.law_check:
            assert squeezed(workshop.facts.law_check.items[0].source) in given
    assert squeezed(language.strings.get("paper_glossary", "Glossary")) in given


def test_the_arabic_course_book_is_right_to_left(real_course):
    path = downloads(real_course, "ar") / book_name("ar", "a4")
    html = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    # The cover's lines end at the right margin: right-aligned, as a right-to-left page is.
    ends = [float(m.group(1)) for m in re.finditer(r'xMax="([\d.]+)"', html)]
    starts = [float(m.group(1)) for m in re.finditer(r'xMin="([\d.]+)"', html)]
    assert max(ends) > 595 - 20 * MM and min(starts) > 30 * MM, (min(starts), max(ends))
    assert sum(0x600 <= ord(c) <= 0x6FF for c in text_of(path)) > 10000


def test_the_pdfs_are_offered_on_the_downloads_page_each_overview_and_in_the_offline_pack(real_course):
    for lang in ("en", "ar"):
        page = (real_course.site / lang / "downloads.html").read_text(encoding="utf-8")
        assert f'href="downloads/{book_name(lang, "a4")}"' in page
        overview = (real_course.site / lang / "workshops" / "01-fundamentals" / "index.html").read_text(encoding="utf-8")
        assert f'{pack_name("01-fundamentals", lang)}-a4.pdf"' in overview
        assert f'{materials_name("01-fundamentals", lang, "letter")}"' in overview
        with zipfile.ZipFile(real_course.site / lang / "downloads" / f"teach-forward-{lang}.zip") as pack:
            assert f"teach-forward-{lang}/downloads/{book_name(lang, 'a4')}" in pack.namelist()


# --- incremental: a PDF is drawn again only when what it shows changed --------------------------

def write_pdfs(root: Path, out: Path) -> dict[str, int]:
    from teachforward.paper.build import write_language_pdfs
    course, problems = load_course(root)
    assert course is not None, problems
    made = write_language_pdfs(course, course.language("en"), out, epoch=1700000000)
    return {p.filename: (out / p.filename).stat().st_mtime_ns for p in made}


def test_pdfs_are_drawn_again_only_when_their_inputs_change(tree, tmp_path):
    out = tmp_path / "print"
    first = write_pdfs(tree.root, out)
    book, pack = book_name("en", "a4"), f"{pack_name('01-basics', 'en')}-a4.pdf"
    assert {book, pack} <= set(first)
    assert "secret-answer-text" in text_of(out / book) and "secret-answer-text" not in text_of(out / pack)
    assert write_pdfs(tree.root, out) == first, "nothing changed: nothing is written"
    # A possible response is in the book only: the participant pack stays as it was.
    tree.replace("workshops/en/01-basics/exercises/01-rota.md", "secret-answer-text", "another-answer-text")
    text_of.cache_clear()
    second = write_pdfs(tree.root, out)
    assert second[book] != first[book] and second[pack] == first[pack]
    assert "another-answer-text" in text_of(out / book)
    tree.replace("workshops/en/01-basics/exercises/01-rota.md", "A council introduces", "A county introduces")
    third = write_pdfs(tree.root, out)
    assert third[pack] != second[pack]


# --- the course book in parts (paper/book.py) ------------------------------------------------

def test_the_contents_give_the_page_each_part_starts_on_and_every_page_its_number(real_course, course):
    """The book is laid out in parts and numbered across them: each page's foot has its number
    in the whole book, and each contents entry's number is the page that starts with its heading."""
    from teachforward.paper.documents import PrintDocument
    for lang in ("en", "ar"):
        path = downloads(real_course, lang) / book_name(lang, "a4")
        document = PrintDocument(course, course.language(lang))
        for number, (_, _, words) in enumerate(pages_and_words(path), 1):
            if number == 1:
                continue        # the cover has no foot
            foot = text_lines(words)[-1]
            assert re.sub(r"\D", "", "".join(w[4] for w in foot)) == str(number), (lang, number, foot)
        contents = subprocess.run(["pdftotext", "-layout", "-f", "2", "-l", "2", str(path), "-"], capture_output=True,
                                  text=True, check=True).stdout
        numbers = [int(m.group(1) or m.group(2)) for m in re.finditer(r"^.*?(?:(\d+)\s*\.{3,}.*|\.{3,}\s*(\d+))\s*$",
                                                                      re.sub("[\u202a-\u202c]", "", contents), re.M)]
        headings = []
        for workshop in course.language(lang).workshops:
            title = document.t.plain("label_and_title", label=document.t.plain("workshop_label", number=workshop.number),
                                     title=workshop.title)
            headings += [title, title] + [document.t.plain(label) for part, label in document.book_parts(workshop)[1:]]
        headings.append(document.t.plain("paper_glossary"))
        assert len(numbers) == len(headings) == len(document.book_anchors()), (lang, len(numbers), len(headings))
        pages = text_of(path).split("\f")
        for heading, number in zip(headings, numbers, strict=True):
            assert squeezed(pages[number - 1]).startswith(squeezed(heading)), \
                f"{lang}: the contents say {heading!r} starts on page {number}, which begins {pages[number - 1][:80]!r}"


def test_an_edit_to_one_workshops_notes_lays_out_that_workshops_part_of_the_book_alone(tmp_path, monkeypatch):
    """Only the book's part for the edited workshop is laid out again (the notes' speaking text is
    in no other PDF), and the book is joined again with it; the contents are not laid out again
    while no page number moved."""
    import sys
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
    import synthetic_course
    from teachforward.paper import engine
    root = synthetic_course.make_course(tmp_path / "course", workshops=3, languages=1)
    laid_out: list[str] = []
    layout = engine.Engine.layout

    def counted(self, html: str):
        laid_out.append(html)
        return layout(self, html)

    monkeypatch.setattr(engine.Engine, "layout", counted)
    out = tmp_path / "print"
    first = write_pdfs(root, out)
    assert len(laid_out) == 3 * 2 + 2 + 3 + 1, "each workshop's materials and pack; the front twice, three parts, the glossary"
    laid_out.clear()
    assert write_pdfs(root, out) == first and laid_out == []
    notes = next((root / "workshops" / "en").glob("02-*")) / "notes.md"
    text = notes.read_text(encoding="utf-8")
    assert "so if some participants" in text
    notes.write_text(text.replace("so if some participants", "so if a few participants", 1), encoding="utf-8")
    second = write_pdfs(root, out)
    assert len(laid_out) == 1 and 'id="w2"' in laid_out[0] and 'id="w1"' not in laid_out[0], \
        [re.search(r'<section class="(\w+)"[^>]*>', html).group(0) for html in laid_out]
    book = book_name("en", "a4")
    assert {name for name in first if second[name] != first[name]} == {book}
    assert "so if a few participants" in " ".join(text_of.__wrapped__(out / book).split())


def test_printed_labels_take_the_languages_own_colon():
    from teachforward.paper.documents import PrintDocument
    course, _ = load_course(REPO)
    assert course is not None
    french = course.language("fr")
    group, time = french.strings["exercise_group_size"], french.strings["exercise_time"]
    pack = PrintDocument(course, french).participant_pack(french.workshops[0])
    assert f"{group} :" in pack and f"{time} :" in pack
    assert f"{group}:" not in pack and f"{time}:" not in pack
