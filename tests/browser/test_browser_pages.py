"""Every page type of every language, at desktop (1280 px) and phone (360 px) width, in Chromium:
it loads without script errors, says which language it is in, can be read with a keyboard and
a screen reader (axe-core: no serious or critical violation), and never scrolls sideways."""
from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
import yaml

from teachforward.content.languages import describe as describe_language

from .conftest import WIDTHS
from .site import REQUIRED_TYPES, source_languages

REPO = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def describe(visit) -> str:
    return f"{visit.lang} {visit.kind} ({visit.width}, {visit.url})"


def test_site_has_every_language(site):
    assert site.languages == source_languages(), "the built site's languages differ from the sources' languages"
    landing = (site.root / "index.html").read_text(encoding="utf-8")
    for lang in site.languages:
        assert f'href="{lang}/"' in landing, f"the language chooser does not link to {lang}/"


def test_every_page_type_loads(tours, site, lang):
    tour = tours.of(lang)
    kinds = {v.kind for v in tour.visits}
    missing = [kind for kind in REQUIRED_TYPES if kind not in kinds]
    assert not missing, f"the {lang} site has no {', '.join(missing)} page"
    problems = [f"{describe(v)}: HTTP {v.status}" for v in tour.visits if v.status != 200]
    problems += [f"{describe(v)}: script error {e}" for v in tour.visits for e in v.errors]
    problems += [f"{describe(v)}: no title" for v in tour.visits if not v.facts["title"].strip()]
    assert not problems, "\n".join(problems)


def test_no_serious_or_critical_accessibility_violation(tours, lang):
    tour = tours.of(lang)
    problems = [f"{describe(v)}: {x['impact']} {x['id']} ({x['help']}) at {x['targets']}"
                for v in tour.visits for x in v.violations if x["impact"] in ("serious", "critical")]
    assert not problems, "axe-core found:\n" + "\n".join(problems)


def test_every_page_says_its_language_and_direction(tours, site, lang):
    tour = tours.of(lang)
    direction = describe_language(lang).direction   # from CLDR: "rtl" for Arabic, Hebrew, ...
    problems = []
    for visit in tour.visits:
        facts = visit.facts
        if not facts["lang"] or facts["lang"].split("-")[0].lower() != lang.split("-")[0].lower():
            problems.append(f"{describe(visit)}: <html lang={facts['lang']!r}>")
        if facts["bodyDir"] != direction or facts["direction"] != direction:
            problems.append(f"{describe(visit)}: dir={facts['bodyDir']!r}, text runs {facts['direction']}, expected {direction}")
    assert not problems, "\n".join(problems)


def test_skip_link_is_the_first_stop_and_reaches_the_content(tours, lang):
    tour = tours.of(lang)
    problems = []
    for visit in tour.visits:
        if visit.width != "desktop":
            continue
        facts, skip = visit.facts, visit.skip_link
        if not facts["skipHref"] or not facts["skipTargetExists"]:
            problems.append(f"{describe(visit)}: skip link {facts['skipHref']!r} leads nowhere")
        elif not skip["focused_and_visible"]:
            problems.append(f"{describe(visit)}: the first Tab does not show the skip link")
        elif skip["hash_after_enter"] != facts["skipHref"]:
            problems.append(f"{describe(visit)}: Enter on the skip link went to {skip['hash_after_enter']!r}")
    assert not problems, "\n".join(problems)


def test_headings_are_in_order(tours, lang):
    tour = tours.of(lang)
    problems = []
    for visit in tour.visits:
        if visit.width != "desktop":
            continue
        levels = [level for level, _ in visit.facts["headings"]]
        if not levels or levels[0] != 1 or levels.count(1) != 1:
            problems.append(f"{describe(visit)}: the page must start with its one <h1>, has {levels[:6]}")
            continue
        for (before, _), (level, text) in itertools.pairwise(visit.facts["headings"]):
            if level > before + 1:
                problems.append(f"{describe(visit)}: <h{level}> {text!r} follows an <h{before}>")
    assert not problems, "\n".join(problems)


def agenda_columns(lang: str, visit) -> int:
    """How many columns the workshop's agenda table has, from its workshop.yaml: start, minutes
    and activity, plus "who leads" and materials when any item gives them."""
    folder = re.search(r"/workshops/([^/]+)/", visit.url).group(1)
    path = REPO / "workshops" / lang / folder / "workshop.yaml"
    if not path.is_file():
        path = REPO / "workshops" / "en" / folder / "workshop.yaml"
    agenda = yaml.safe_load(path.read_text(encoding="utf-8"))["agenda"]
    return 3 + any(item.get("lead") for item in agenda) + any(item.get("materials") for item in agenda)


def test_agenda_is_a_real_table_with_column_headers(tours, lang):
    tour = tours.of(lang)
    visit = next(v for v in tour.visits if v.kind == "workshop" and v.width == "desktop")
    agenda = visit.facts["agenda"]
    assert agenda, f"{describe(visit)}: no <table> under the agenda heading (#agenda)"
    headers, rows = agenda["headers"], agenda["rows"]
    # Start, minutes and activity; "who leads" and materials when the workshop's agenda says so.
    agenda_facts = agenda_columns(lang, visit)
    assert len(headers) == agenda_facts and all(headers), \
        f"the agenda's <thead> should name its {agenda_facts} columns: {headers}"
    assert len(rows) >= 2, "the agenda has no rows"
    for row in rows:
        assert [tag for tag, _ in row] == ["TD"] * len(headers), f"agenda row {row} does not match the headers"
    assert all(re.fullmatch(r"\d+:\d\d", row[0][1]) for row in rows), "the first column is not a clock"


def test_no_horizontal_scrolling(tours, lang):
    tour = tours.of(lang)
    problems = []
    for visit in tour.visits:
        facts, width = visit.facts, WIDTHS[visit.width]["viewport"]["width"]
        if facts["innerWidth"] != width or facts["scrollWidth"] > width:
            problems.append(f"{describe(visit)}: the page is {facts['scrollWidth']} px wide in a {width} px window "
                            f"(layout viewport {facts['innerWidth']} px); too wide: {facts['wide']}")
    assert not problems, "\n".join(problems)
