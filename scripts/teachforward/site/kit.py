"""The facilitator's kit on the site: the law check box, the printable materials and the
run-sheet with clock times. A mixin of PageWriter (site/pages.py), whose helpers it uses.

Clock times are written for the course's default start time; the run-sheet's start field
(assets/javascripts/teachforward.js) recomputes them in the browser from each time's
`data-offset` (minutes after the start), so the page works the same from file://.
"""
from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Any

from teachforward.content.formatting import time_of_day
from teachforward.content.model import AgendaItem, Material, Workshop

if TYPE_CHECKING:
    from teachforward.artifacts import PrintFile
    from teachforward.content import prose
    from teachforward.content.model import Course, Language, Origin
from teachforward.content.parts import material_part, page_of

RUN_SHEET = "runsheet"          # the part's name; its page is run-sheet.md


PROGRAMME = "programme.md"


def day_path(format_id: str, index: int) -> str:
    return f"programme/{format_id}-{index + 1}.md"


def _format_item(item) -> tuple[str, str | int]:
    """The one thing a format item is (the check refuses items that are none or several)."""
    return item.given()[0]


def material_path(folder: str, material_id: str) -> str:
    return page_of(folder, material_part(material_id))


clock = time_of_day      # the run-sheets' clock times (content/formatting.py)

_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*")


def isolated_latin(text: str) -> str:
    """A right-to-left label with each Latin word (PowerPoint, PDF, A4, zip) isolated in a
    <bdi>: otherwise the number after it ("PowerPoint، 24 شريحة") joins the Latin word's
    left-to-right run and is shown on the wrong side of it, away from the word it counts."""
    return _LATIN_WORD.sub(lambda m: f"<bdi>{m.group()}</bdi>", text)


class KitPages:
    """Pages and page parts made from agenda plans, law checks and materials."""

    if TYPE_CHECKING:
        # What the mixin uses of PageWriter (site/pages.py), which defines all of these.
        course: Course
        language: Language
        prints: tuple[PrintFile, ...]

        def t(self, key: str, **values: Any) -> str: ...
        def _foreign(self, origin: Origin) -> str: ...
        def _titled(self, workshop: Workshop, text: str) -> str: ...
        def _front(self, title: str, extra: dict[str, Any] | None = None) -> str: ...
        def _written(self, body: prose.Prose, here: str) -> str: ...
        def _fallback(self, origin: Origin, here: str) -> str: ...
        def _part_links(self, workshop: Workshop, current: str) -> str: ...
        def _outdated_sections(self, origin: Origin) -> list[str]: ...
        def _outdated_notice(self, here: str, anchor: str) -> str: ...

    # --- pages, as {path: markdown} ------------------------------------------------------

    def kit_pages(self, workshop: Workshop) -> dict[str, str]:
        from teachforward.site.pages import part_path
        pages = {part_path(workshop.folder, RUN_SHEET): self.run_sheet(workshop)}
        for material in workshop.materials:
            pages[material_path(workshop.folder, material.id)] = self.material_page(workshop, material)
        return pages

    def material_page(self, workshop: Workshop, material: Material) -> str:
        from teachforward.site.pages import _escape, _in_language, _join
        here = material_path(workshop.folder, material.id)
        document, lang = material.document, self._foreign(material.origin)
        title = _escape(material.title)
        out = [self._front(self._titled(workshop, material.title), extra={"tf_orientation": material.orientation}),
               f"# {title}" + (f" {{: lang={lang} dir=ltr }}" if lang else ""), "",
               '<div class="tf-screen-only" markdown>', "",
               f"[{self._titled(workshop, _escape(workshop.title))}](../index.md) · {self._material_label(material)}", "",
               self._fallback(material.origin, here), "</div>", "",
               f'<div class="tf-material tf-material--{material.orientation}" markdown>', ""]
        stale = self._outdated_sections(material.origin)
        if document.intro:
            out += [_in_language(self._written(document.intro_prose, here), lang), ""]
        for section in document.sections:
            out += [f"## {_escape(section.title)} {{#{section.id}{lang and f' lang={lang}'}}}", ""]
            if section.id in stale:
                out += ['<div class="tf-screen-only" markdown>', "", self._outdated_notice(here, section.id), "</div>", ""]
            if section.body:
                out += [_in_language(self._written(section.prose, here), lang), ""]
        return _join(out + ["</div>", ""])

    def run_sheet(self, workshop: Workshop) -> str:
        """One printed page to run the session by: clock times, who leads, materials, what to cut."""
        from teachforward.site.pages import _escape, _join, part_path
        here, facts = part_path(workshop.folder, RUN_SHEET), workshop.facts
        start = self.course.settings.start_time
        lang = self._foreign(workshop.facts_origin)
        title = self.t("workshop_runsheet")
        out = [self._front(self._titled(workshop, title)), f"# {title}", "",
               f"**{self._titled(workshop, _escape(workshop.title))}** · "
               f"{self.t('duration_minutes', minutes=facts.duration)} · "
               f"{self.t('runsheet_from_to', start=self._clock(start, 0), end=self._clock(start, facts.duration))}", "",
               '<div class="tf-screen-only" markdown>', "", self._fallback(workshop.facts_origin, here),
               self._part_links(workshop, RUN_SHEET),
               self._start_field(start), "", "</div>", "",
               '<div class="tf-run-sheet" markdown>', "", self._sheet_header()]
        rows, elapsed = self._sheet_rows(workshop, start, 0, here)
        out += rows + [f"| {self._clock(start, elapsed)} | **{elapsed}** | **{self.t('runsheet_end')}** | | | |"]
        cuts = sorted(((item.cut.order, index, item, item.cut) for index, item in enumerate(facts.agenda) if item.cut),
                      key=lambda entry: entry[:2])
        if cuts:
            out += ["", f"**{self.t('runsheet_cut_order')}**", ""]
            for order, _, item, cut in cuts:
                what = self.t("label_and_title", label=self._text(item.activity, lang), title=self._text(cut.how, lang))
                out.append(f"{order}. {what} *({self.t('runsheet_saves', minutes=cut.saves)})*")
            total = sum(cut.saves for _, _, _, cut in cuts)
            out += ["", self.t("runsheet_cut_total", minutes=total)]
        return _join(out + ["", "</div>", ""])

    def _sheet_header(self) -> str:
        return (f"| {self.t('runsheet_time')} | {self.t('agenda_minutes')} | {self.t('agenda_activity')} | "
                f"{self.t('agenda_lead')} | {self.t('agenda_materials')} | {self.t('runsheet_cut')} |\n"
                "|---:|---:|:---|:---|:---|:---|")

    def _sheet_rows(self, workshop: Workshop, start: str, elapsed: int, here: str) -> tuple[list[str], int]:
        """A run-sheet row per agenda item, timed from `elapsed` minutes after `start`."""
        lang, rows = self._foreign(workshop.facts_origin), []
        for item in workshop.facts.agenda:
            cut = ""
            if item.cut is not None:
                cut = (f"**{item.cut.order}.** {self._text(item.cut.how, lang)} "
                       f"*({self.t('runsheet_saves', minutes=item.cut.saves)})*")
            activity = self._activity(workshop, item, here, linked=False)
            lead = self._text(item.lead, lang) if item.lead else ""
            rows.append(f"| {self._clock(start, elapsed)} | {item.minutes} | {activity} | "
                        f"{lead} | {self.agenda_materials(workshop, item, here)} | {cut} |")
            elapsed += item.minutes
        return rows, elapsed

    # --- delivery formats (workshops/formats.yaml) ---------------------------------------------

    def programme_pages(self) -> dict[str, str]:
        formats = self.course.formats
        if formats is None:
            return {}
        pages = {PROGRAMME: self.programme(formats)}
        for fmt in formats.formats:
            for index, day in enumerate(fmt.days):
                if not self._any_workshop(day):
                    pages[day_path(fmt.id, index)] = self.day_sheet(fmt, index, day)
        return pages

    def programme(self, formats) -> str:
        from teachforward.site.pages import _escape, _join, _relative, part_path
        title = self.t("programme_title")
        out = [self._front(title), f"# {title}", "", self.t("programme_intro"), ""]
        workshops = {w.folder: w for w in self.language.workshops}
        for fmt in formats.formats:
            out += [f"## {self._worded(fmt.title)} {{#{fmt.id}}}", ""]
            if fmt.summary:
                out += [self._worded(fmt.summary), ""]
            for index, day in enumerate(fmt.days):
                minutes = self._day_minutes(day, workshops)
                when = self.t("runsheet_from_to", start=day.start, end=clock(day.start, minutes))
                heading = f"### {self._unit(fmt, index)} · {when}"
                if not self._any_workshop(day):
                    heading += f" · [{self.t('workshop_runsheet')}]({_relative(PROGRAMME, day_path(fmt.id, index))})"
                out += [heading + f" {{#{fmt.id}-{index + 1}}}", "",
                        f"| {self.t('runsheet_time')} | {self.t('agenda_minutes')} | {self.t('agenda_activity')} |",
                        "|---:|---:|:---|"]
                elapsed = 0
                for item in day.items:
                    kind, value = _format_item(item)
                    if kind == "workshop" and value == "any":
                        longest = max(w.facts.duration for w in workshops.values())
                        what, length = self.t("programme_any_workshop", minutes=longest), longest
                    elif kind == "workshop":
                        folder = str(value)
                        workshop = workshops[folder]
                        overview = _relative(PROGRAMME, part_path(folder, "overview"))
                        what = (f"[{self._titled(workshop, _escape(workshop.title))}]({overview})"
                                f" ([{self.t('workshop_runsheet')}]({_relative(PROGRAMME, part_path(folder, RUN_SHEET))}))")
                        length = workshop.facts.duration
                    else:
                        what, length = self._format_label(kind), int(value)
                    out.append(f"| {clock(day.start, elapsed)} | {length} | {what} |")
                    elapsed += length
                out += [f"| {clock(day.start, elapsed)} | **{elapsed}** | **{self.t('runsheet_end')}** |", ""]
        return _join(out)

    def day_sheet(self, fmt, index: int, day) -> str:
        """The run-sheet of a whole day: each workshop's agenda in turn, with the breaks between."""
        from teachforward.site.pages import _escape, _join
        here, start = day_path(fmt.id, index), day.start
        title = self.t("label_and_title", label=self._worded(fmt.title), title=self._unit(fmt, index))
        workshops = {w.folder: w for w in self.language.workshops}
        minutes = self._day_minutes(day, workshops)
        out = [self._front(self.t("label_and_title", label=self.worded_text(fmt.title), title=self._unit(fmt, index))),
               f"# {title}", "",
               f"**{self.t('workshop_runsheet')}** · "
               f"{self.t('runsheet_from_to', start=self._clock(start, 0), end=self._clock(start, minutes))}", "",
               '<div class="tf-screen-only" markdown>', "", f"[{self.t('programme_title')}](../programme.md#{fmt.id})", "",
               self._start_field(start), "", "</div>", "",
               '<div class="tf-run-sheet" markdown>', "", self._sheet_header()]
        elapsed = 0
        for item in day.items:
            kind, value = _format_item(item)
            if kind == "workshop":
                workshop = workshops[str(value)]
                out.append(f"| {self._clock(start, elapsed)} | **{workshop.facts.duration}** | "
                           f"**{self._titled(workshop, _escape(workshop.title))}** | | | |")
                rows, elapsed = self._sheet_rows(workshop, start, elapsed, here)
                out += rows
            else:
                label = self._format_label(kind)
                shown = f'<span class="tf-break">{label}</span>' if kind in ("break", "lunch") else label
                out.append(f"| {self._clock(start, elapsed)} | {value} | {shown} | | | |")
                elapsed += int(value)
        out.append(f"| {self._clock(start, elapsed)} | **{elapsed}** | **{self.t('runsheet_end')}** | | | |")
        return _join(out + ["", "</div>", ""])

    def _start_field(self, start: str) -> str:
        from teachforward.site.pages import _escape
        return (f'<p class="tf-start"><label for="tf-start">{self.t("runsheet_start")}</label> '
                f'<input type="time" id="tf-start" name="start" value="{start}" data-default="{start}" step="300"> '
                f'<span class="tf-start-help">{_escape(self.t("runsheet_start_help"))}</span></p>')

    def worded_text(self, texts: dict[str, str]) -> str:
        """The plain text of a per-language text, for titles and menus."""
        return texts.get(self.language.code) or texts.get(self.course.source_language, "")

    def _worded(self, texts: dict[str, str]) -> str:
        """A text given per language in formats.yaml: this language's, else the English, marked as such."""
        from teachforward.site.pages import _escape, _span
        source = self.course.source_language
        if self.language.code in texts:
            return _escape(texts[self.language.code])
        return _span(_escape(texts.get(source, "")), source)

    def _unit(self, fmt, index: int) -> str:
        return self.t(f"programme_{fmt.unit}", number=index + 1)

    def _format_label(self, kind: str) -> str:
        return self.t(f"programme_{kind}")

    def _any_workshop(self, day) -> bool:
        return any(item.workshop == "any" for item in day.items)

    def _day_minutes(self, day, workshops: dict) -> int:
        longest = max((w.facts.duration for w in workshops.values()), default=0)
        total = 0
        for item in day.items:
            kind, value = _format_item(item)
            if kind == "workshop":
                total += longest if value == "any" else workshops[str(value)].facts.duration
            else:
                total += int(value)
        return total

    # --- parts of the overview page --------------------------------------------------------

    def law_box(self, workshop: Workshop) -> list[str]:
        law = workshop.facts.law_check
        if law is None:
            return []
        from teachforward.site.pages import _indent, _quote
        lang = self._foreign(workshop.facts_origin)
        checked = self.t("law_checked", date=self._date(law.checked))
        body = [self._text(law.note, lang), ""] if law.note else []
        for item in law.items:
            facts = [self._text(item.provision, lang)]
            if item.since:
                facts.append(self.t("law_since", date=self._date(item.since)))
            if item.where:
                facts.append(self._text(item.where, lang))
            said = self.t("label_and_title", label=f"**{self._text(item.law, lang)}**, {', '.join(facts)}",
                          title=self._text(item.says, lang))
            body.append(f"- {said} "
                        f"[{self.t('law_source')}]({item.source.replace('(', '%28').replace(')', '%29')})")
        return [f'!!! info "{_quote(self.t("law_title"))} ({_quote(checked)})"', "", _indent("\n".join(body)), ""]

    def materials_list(self, workshop: Workshop, here: str) -> list[str]:
        if not workshop.materials:
            return []
        from teachforward.site.pages import _escape, _relative, _span
        out = [f"## {self.t('materials_title')} {{#materials}}", "", self.t("materials_intro"), ""]
        for material in workshop.materials:
            link = _relative(here, material_path(workshop.folder, material.id))
            title = _span(_escape(material.title), self._foreign(material.origin))
            out.append(f"- [{title}]({link}): {self._material_label(material)}")
        return out + [""]

    def agenda_materials(self, workshop: Workshop, item: AgendaItem, here: str) -> str:
        from teachforward.site.pages import _escape, _relative, _span
        links = []
        for id_ in item.materials:
            material = workshop.material(id_)
            if material is not None:
                title = _span(_escape(material.title).replace("|", "\\|"), self._foreign(material.origin))
                links.append(f"[{title}]({_relative(here, material_path(workshop.folder, id_))})")
        return ", ".join(links)

    # --- small pieces ------------------------------------------------------------------------

    def _activity(self, workshop: Workshop, item: AgendaItem, here: str, linked: bool = True) -> str:
        """The activity's words; a break is marked as one and links nowhere."""
        from teachforward.site.pages import _escape, _relative, _span, part_path
        lang = self._foreign(workshop.facts_origin)
        activity = _span(_escape(item.activity).replace("|", "\\|"), lang)
        if item.is_break:
            return f'<span class="tf-break" title="{self.t("agenda_break")}">{activity}</span>'
        if linked and item.ref in workshop.ids():
            exercise_ids = {e.id for e in workshop.exercises}
            guide_ids = {s.id for s in workshop.guide.sections} if workshop.guide else set()
            part = "exercises" if item.ref in exercise_ids else "guide" if item.ref in guide_ids else "notes"
            return f"[{activity}]({_relative(here, part_path(workshop.folder, part))}#{item.ref})"
        return activity

    def _material_label(self, material: Material) -> str:
        kind = self.t(f"material_{material.kind}")
        audience = self.t(f"material_for_{material.audience}")
        return f"{kind}, {audience}" + (f", {self.t('material_landscape')}" if material.orientation == "landscape" else "")

    def _clock(self, start: str, offset: int) -> str:
        return f'<span class="tf-clock" data-offset="{offset}">{clock(start, offset)}</span>'

    def _text(self, value: str, lang: str) -> str:
        from teachforward.site.pages import _escape, _span
        return _span(_escape(value).replace("|", "\\|"), lang)

    def _date(self, iso: str) -> str:
        """A date in the reader's language ("1 December 2026"), the ISO form if babel has no locale."""
        from babel.dates import format_date
        try:
            return format_date(date.fromisoformat(iso), format="long", locale=self.language.code.replace("-", "_"))
        except (ValueError, LookupError):
            return iso

    # --- the PDFs (paper/build.py), offered on the downloads page and each overview -------------

    def print_links(self, workshop: Workshop, here: str) -> list[str]:
        from teachforward.site.pages import _relative
        links = []
        for printed in self.prints:
            if printed.workshop == workshop.folder and printed.kind in PRINT_LABELS:
                href = _relative(here, f"downloads/{printed.filename}")
                links.append(f":material-file-pdf-box: [{self._print_label(printed)}]({href}){{: download }}")
        return [" · ".join(links)] if links else []

    def print_downloads(self) -> list[str]:
        if not self.prints:
            return []
        out = ["", f"## {self.t('paper_downloads_title')} {{#pdf}}", "", self.t("paper_downloads_intro"), ""]
        for printed in self.prints:
            if printed.kind == "book":
                link = f"[{printed.filename}](downloads/{printed.filename}){{: download }}"
                out.append(f"- **{self._print_label(printed)}**: {link}")
        for workshop in self.language.workshops:
            links = self.print_links(workshop, "downloads.md")
            if links:
                out.append(f"- **{self._titled(workshop, workshop.title)}**: {links[0]}")
        return out + [""]

    def _print_label(self, printed) -> str:
        return self.link_label(PRINT_LABELS[printed.kind], paper=self.t(f"paper_{printed.size}"),
                               size=max(1, round(printed.size_bytes / 1024)))

    def link_label(self, key: str, **values: Any) -> str:
        """A download's label (a file's kind, size and count), its Latin words isolated on a
        right-to-left site."""
        text = self.t(key, **values)
        return isolated_latin(text) if self.language.direction == "rtl" else text


# What each kind of PDF is called in the links (the participants' worksheets alone are in the pack's zip).
PRINT_LABELS = {"book": "paper_book_link", "materials": "paper_materials_link", "pack": "paper_pack_link",
                "pack-zip": "paper_pack_zip_link"}
