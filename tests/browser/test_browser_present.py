"""The presenter view (workshops/<workshop>/present.html): slides move with keys, clicks and
touch; the audience window follows the presenter (and the presenter follows it); the pacing
clock, driven by Playwright's clock, flags an agenda item that runs over; it passes axe-core,
loads nothing from anywhere and runs right to left in Arabic. Everything both from the web
server and from the unzipped offline pack (file://)."""
from __future__ import annotations

import datetime as dt
import json
import re
from urllib.parse import urlsplit

import pytest

from .test_browser_offline import unzipped_pack

WORKSHOP = "01-fundamentals"


@pytest.fixture(scope="module")
def packs(site, tmp_path_factory):
    folder = tmp_path_factory.mktemp("present-packs")
    return {lang: unzipped_pack(site, lang, folder / lang) for lang in ("en", "ar")}


def address(site, packs, where: str, lang: str = "en") -> str:
    if where == "site":
        return site.url(lang, f"workshops/{WORKSHOP}/present.html")
    return (packs[lang] / "workshops" / WORKSHOP / "present.html").as_uri()


def data_of(page) -> dict:
    return json.loads(page.locator("#data").text_content())


def shown_title(page, frame: str = "#current") -> str:
    return page.locator(f"{frame} .slide .title").text_content()


def slide_titles(page) -> list[str]:
    return page.locator("#slides > .slide > .title").all_text_contents()


def seconds(page, selector: str) -> int:
    """A clock reading ("12:05", "1:02:00", "−1:30") in seconds."""
    text = page.locator(selector).text_content()
    sign = -1 if text.startswith("−") else 1
    total = 0
    for part in text.lstrip("−").split(":"):
        total = total * 60 + int(part)
    return sign * total


def position(page) -> str:
    return page.locator("#position").text_content()


@pytest.mark.browser
@pytest.mark.parametrize("where", ["site", "pack"])
def test_slides_move_with_keys_clicks_and_touch_and_show_notes_and_the_next_slide(site, packs, desktop, phone, where):
    page = desktop.new_page()
    page.goto(address(site, packs, where))
    titles = slide_titles(page)
    total = len(titles)
    assert total >= 10 and position(page) == f"Slide 1 of {total}"
    assert shown_title(page) == titles[0] and shown_title(page, "#upcoming") == titles[1]
    page.keyboard.press("ArrowRight")
    assert position(page) == f"Slide 2 of {total}" and shown_title(page) == titles[1]
    page.click("#next")
    assert shown_title(page) == titles[2] and shown_title(page, "#upcoming") == titles[3]
    page.click("#current")
    assert shown_title(page) == titles[3]
    page.keyboard.press("PageUp")
    assert shown_title(page) == titles[2]
    page.keyboard.press("End")
    assert position(page) == f"Slide {total} of {total}"
    page.keyboard.press("Home")
    # An exercise slide: its notes hold the full scenario and the responses, which the slide does not.
    exercise = next(i for i, title in enumerate(titles) if title.startswith("Exercise:"))
    for _ in range(exercise):
        page.keyboard.press("PageDown")
    assert shown_title(page) == titles[exercise]
    notes = page.locator("#notes").text_content()
    assert "Possible responses" in notes and "Possible responses" not in page.locator("#current").text_content()
    assert len(notes.split()) > 3 * len(page.locator("#current .body").text_content().split())
    # Touch: a swipe towards the start of the line moves on.
    touch = phone.new_page()
    touch.goto(address(site, packs, where))
    box = touch.locator("#current").bounding_box()
    y = box["y"] + box["height"] / 2
    _swipe(touch, box["x"] + box["width"] * 0.8, box["x"] + box["width"] * 0.2, y)
    assert shown_title(touch) == titles[1]
    _swipe(touch, box["x"] + box["width"] * 0.2, box["x"] + box["width"] * 0.8, y)
    assert shown_title(touch) == titles[0]


def _swipe(page, from_x: float, to_x: float, y: float) -> None:
    page.evaluate("""([fromX, toX, y]) => {
        const target = document.querySelector('#current');
        const touch = (x) => new Touch({identifier: 1, target, clientX: x, clientY: y});
        target.dispatchEvent(new TouchEvent('touchstart',
                                            {touches: [touch(fromX)], changedTouches: [touch(fromX)], bubbles: true}));
        target.dispatchEvent(new TouchEvent('touchend', {touches: [], changedTouches: [touch(toX)], bubbles: true}));
    }""", [from_x, to_x, y])


@pytest.mark.browser
@pytest.mark.parametrize("where", ["site", "pack"])
def test_the_audience_window_follows_the_presenter_and_leads_it_back(site, packs, desktop, where):
    page = desktop.new_page()
    page.goto(address(site, packs, where))
    titles = slide_titles(page)
    page.keyboard.press("ArrowRight")
    with page.expect_popup() as popup:
        page.click("#audience")
    audience = popup.value
    audience.wait_for_load_state()
    assert audience.url.endswith("#audience")
    audience.wait_for_function("t => document.querySelector('#projected .title').textContent === t", arg=titles[1])
    assert audience.locator("#presenter").is_hidden() and audience.locator("#notes").is_hidden()
    for expected in (2, 3, 4):
        page.keyboard.press("ArrowRight")
        audience.wait_for_function("t => document.querySelector('#projected .title').textContent === t",
                                   arg=titles[expected])
    page.keyboard.press("ArrowLeft")
    audience.wait_for_function("t => document.querySelector('#projected .title').textContent === t", arg=titles[3])
    # A clicker plugged into the projector's machine: the presenter follows the audience window.
    audience.keyboard.press("PageDown")
    page.wait_for_function("t => document.querySelector('#current .title').textContent === t", arg=titles[4])


@pytest.mark.browser
@pytest.mark.parametrize("where", ["site", "pack"])
def test_the_pacing_clock_follows_the_agenda_and_flags_an_overrun(site, packs, desktop, where):
    page = desktop.new_page()
    page.clock.install(time=dt.datetime(2026, 12, 1, 9, 0, 0))
    page.goto(address(site, packs, where))
    agenda = data_of(page)["agenda"]
    first = agenda[0]
    assert page.locator("#item").text_content() == first["activity"]
    assert page.locator("#warning").text_content() == ""
    page.click("#start")
    page.clock.run_for(60_000 * (first["minutes"] - 1))
    elapsed, left = seconds(page, "#elapsed"), seconds(page, "#left")
    assert (first["minutes"] - 1) * 60 - 1 <= elapsed <= (first["minutes"] - 1) * 60
    assert elapsed + left == first["minutes"] * 60
    assert page.locator("#warning").text_content() == ""
    page.clock.run_for(60_000 * 3 - 30_000)             # 90 seconds past the end of the first item
    warning = page.locator("#warning")
    assert first["activity"] in warning.text_content() and "2 min" in warning.text_content()
    assert seconds(page, "#left") < 0
    assert warning.get_attribute("role") == "alert" and "over" in page.locator("#presenter").get_attribute("class")
    # Moving on to the slides of a later item: that item's own time is left, no warning.
    index = next(i for i, item in enumerate(page.locator("#slides > .slide").evaluate_all(
        "slides => slides.map(s => Number(s.dataset.item))")) if item == 2)
    page.keyboard.press("Home")
    for _ in range(index):
        page.keyboard.press("PageDown")
    page.clock.run_for(1000)
    assert page.locator("#item").text_content() == agenda[2]["activity"]
    end_of_item = sum(step["minutes"] for step in agenda[:3])
    assert page.locator("#warning").text_content() == ""
    assert abs(seconds(page, "#left") - (end_of_item * 60 - seconds(page, "#elapsed"))) <= 1
    # The start-time field: a session that began at 8:00 is an hour in at 9:00 and long over.
    page.click("#reset")
    assert page.locator("#elapsed").text_content() == "0:00" and page.locator("#warning").text_content() == ""
    page.fill("#start-time", "08:00")
    page.clock.run_for(1000)
    assert page.locator("#elapsed").text_content().startswith("1:0")
    assert agenda[2]["activity"] in page.locator("#warning").text_content()


@pytest.mark.browser
@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("where", ["site", "pack"])
def test_the_presenter_view_passes_axe_loads_nothing_and_runs_in_its_direction(site, packs, desktop, phone, axe,
                                                                              language, where):
    lang = language
    for context in (desktop, phone):
        page = context.new_page()
        requests = []
        page.on("request", lambda request, seen=requests: seen.append(request.url))
        page.goto(address(site, packs, where, lang))
        page.wait_for_load_state("networkidle")
        own = urlsplit(page.url)
        outside = [u for u in requests if not u.startswith("data:")
                   and (urlsplit(u).scheme, urlsplit(u).netloc, urlsplit(u).path) != (own.scheme, own.netloc, own.path)]
        assert not outside, f"the presenter view loaded {outside}"
        assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
        if lang == "ar":
            assert page.locator("#current .slide").get_attribute("dir") == "rtl"
            titles = slide_titles(page)
            page.keyboard.press("ArrowLeft")            # right to left: the left arrow moves on
            assert shown_title(page) == titles[1]
        violations = [f"{v['id']}: {v['help']} ({len(v['nodes'])})" for v in axe.run(page).response["violations"]
                      if v["impact"] in ("serious", "critical")]
        assert not violations, f"axe-core on the {lang} presenter view ({where}): {violations}"
        scroll = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert scroll <= 1, f"the {lang} presenter view scrolls sideways by {scroll} px"
        page.close()


@pytest.mark.browser
def test_the_workshop_overview_links_its_presenter_view(site):
    for lang in ("en", "ar"):
        page = site.html(lang, f"workshops/{WORKSHOP}/index.html")
        assert re.search(r'href="present\.html"', page), f"the {lang} overview does not link present.html"
        assert (site.root / lang / "workshops" / WORKSHOP / "present.html").is_file()
