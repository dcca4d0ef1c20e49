"""The presenter view: one self-contained HTML page per deck (present.html), made from the
same slide plan as the .pptx. The facilitator sees the current slide, the next one, the
speaker notes and a pacing clock driven by the agenda; an audience window for the projector
follows. Everything is in the page (styles, script, pictures as data: URLs), so it works from
file:// in the offline pack and loads nothing from anywhere.

The audience window is the same page opened with #audience: the presenter holds the window
object window.open gives it and posts each move to it (postMessage works between file://
pages, where BroadcastChannel does not); on a web server a BroadcastChannel also reaches an
audience window opened by hand.
"""
from __future__ import annotations

import base64
import html
import json
from pathlib import Path

from teachforward.decks.plan import Deck, Slide, Strings
from teachforward.decks.text import Para

# English defaults of the page's own strings (strings.yaml may translate each one).
DEFAULTS = {
    "present_title": "Presenter view: {title}",
    "present_controls": "Slide controls",
    "present_current": "Current slide",
    "present_previous": "Previous",
    "present_next": "Next",
    "present_position": "Slide {number} of {total}",
    "present_next_slide": "Next slide",
    "present_end": "End of the deck",
    "present_notes": "Speaker notes",
    "present_no_notes": "No notes for this slide.",
    "present_pacing": "Pacing",
    "present_start_time": "Start time",
    "present_start": "Start the clock",
    "present_pause": "Pause",
    "present_reset": "Reset",
    "present_elapsed": "Elapsed",
    "present_item": "Now",
    "present_left": "Left in this item",
    "present_over": "Running over: {minutes} min past the end of “{activity}”",
    "present_not_started": "The clock starts when you press “Start the clock” or set a start time.",
    "present_audience": "Open the audience window",
    "present_audience_label": "Audience view: {title}",
    "present_keys": "Keys: → or Page Down next, ← or Page Up back, Home first, End last; click or swipe the slide.",
}


def present_html(deck: Deck, strings: Strings) -> str:
    def t(key: str, **values) -> str:
        text = strings.strings.get(key) or DEFAULTS[key]
        try:
            return text.format(**values)
        except (KeyError, IndexError, ValueError):
            return DEFAULTS[key].format(**values)

    rtl = deck.lang in deck.rtl_languages
    direction = "rtl" if rtl else "ltr"
    slides = "\n".join(_slide(deck, slide, number) for number, slide in enumerate(deck.slides))
    agenda = [{"minutes": s.minutes, "activity": s.activity, "break": s.is_break} for s in deck.agenda]
    data = {
        "deck": f"{deck.lang}/{deck.workshop}",
        "total": len(deck.slides),
        "agenda": agenda,
        "rtl": rtl,
        "text": {key: t(key) for key in ("present_end", "present_no_notes", "present_not_started")},
        "position": t("present_position", number="{number}", total="{total}"),
        "over": t("present_over", minutes="{minutes}", activity="{activity}"),
    }
    title = t("present_title", title=deck.title)
    return f"""<!DOCTYPE html>
<html lang="{_e(deck.language_tag)}" dir="{direction}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{POLICY}">
<title>{_e(title)}</title>
<style>{STYLE}</style>
</head>
<body>
<div class="presenter" id="presenter">
<header class="bar">
<h1>{_e(deck.title)}</h1>
<nav class="controls" aria-label="{_e(t('present_controls'))}">
<button type="button" id="previous">{_e(t('present_previous'))}</button>
<output id="position" aria-live="polite"></output>
<button type="button" id="next">{_e(t('present_next'))}</button>
<button type="button" id="audience">{_e(t('present_audience'))}</button>
</nav>
</header>
<main class="stage">
<div class="column">
<section class="current" aria-label="{_e(t('present_current'))}">
<div class="frame" id="current"></div>
</section>
<section class="notes" aria-labelledby="notes-title">
<h2 id="notes-title">{_e(t('present_notes'))}</h2>
<div id="notes" class="notes-text" tabindex="0" role="region" aria-labelledby="notes-title"></div>
</section>
</div>
<aside class="side">
<section class="pacing" aria-labelledby="pacing-title">
<h2 id="pacing-title">{_e(t('present_pacing'))}</h2>
<p class="clock-controls"><label for="start-time">{_e(t('present_start_time'))}</label>
<input type="time" id="start-time">
<button type="button" id="start">{_e(t('present_start'))}</button>
<button type="button" id="pause" hidden>{_e(t('present_pause'))}</button>
<button type="button" id="reset">{_e(t('present_reset'))}</button></p>
<dl class="clock">
<div><dt>{_e(t('present_item'))}</dt><dd id="item"></dd></div>
<div><dt>{_e(t('present_left'))}</dt><dd id="left">–</dd></div>
<div><dt>{_e(t('present_elapsed'))}</dt><dd id="elapsed">0:00</dd></div>
</dl>
<p id="warning" class="warning" role="alert"></p>
<p id="clock-note" class="note"></p>
</section>
<section class="upcoming" aria-labelledby="next-title">
<h2 id="next-title">{_e(t('present_next_slide'))}</h2>
<div class="frame small" id="upcoming"></div>
</section>
<p class="note">{_e(t('present_keys'))}</p>
</aside>
</main>
</div>
<div class="audience-view" id="audience-view" hidden>
<main aria-label="{_e(t('present_audience_label', title=deck.title))}"><div class="frame" id="projected"></div></main>
</div>
<div id="slides" hidden>
{slides}
</div>
<script type="application/json" id="data">{_json(data)}</script>
<script>{SCRIPT}</script>
</body>
</html>
"""


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _json(value) -> str:
    """JSON safe inside <script>: no "</" can close the element."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")


def _runs(para: Para) -> str:
    out = []
    for run in para.runs:
        text = _e(run.text)
        if run.italic:
            text = f"<em>{text}</em>"
        if run.bold:
            text = f"<strong>{text}</strong>"
        out.append(text)
    return "".join(out)


def _body(paras: tuple[Para, ...]) -> str:
    out, open_list = [], None
    for para in paras:
        kind = {"bullet": "ul", "number": "ol"}.get(para.style)
        if kind != open_list:
            if open_list:
                out.append(f"</{open_list}>")
            if kind:
                out.append(f"<{kind}>")
            open_list = kind
        level = f' class="level{para.level}"' if para.level else ""
        if kind == "ol":
            out.append(f'<li value="{para.number or 1}"{level}>{_runs(para)}</li>')
        elif kind == "ul":
            out.append(f"<li{level}>{_runs(para)}</li>")
        elif para.style == "heading":
            out.append(f'<p class="heading">{_runs(para)}</p>')
        else:
            out.append(f"<p>{_runs(para)}</p>")
    if open_list:
        out.append(f"</{open_list}>")
    return "".join(out)


def _picture(path: str) -> str:
    data = Path(path).read_bytes()
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


# Nothing loaded from anywhere: the page works offline, from file://, and says so to the browser.
POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'"
ALIGN = {"r": ' class="right"', "ctr": ' class="middle"'}


def _slide(deck: Deck, slide: Slide, number: int) -> str:
    direction = "rtl" if slide.lang in deck.rtl_languages else "ltr"
    parts = [f'<h2 class="title">{_e(slide.title)}</h2>']
    if slide.subtitle:
        parts.append(f'<p class="subtitle">{_e(slide.subtitle)}</p>')
    if slide.meta:
        parts.append(f'<p class="meta">{_e(slide.meta)}</p>')
    content = []
    if slide.body:
        content.append(f'<div class="body">{_body(slide.body)}</div>')
    if slide.table:
        header, *rows = slide.table
        # A column aligned in the Markdown (|---:|) is aligned here too, as on the slide and the site.
        align = [ALIGN.get(a, "") for a in slide.table_align] + [""] * len(header)
        head = "".join(f'<th scope="col"{align[i]}>{_e(cell)}</th>' for i, cell in enumerate(header))
        body = []
        for index, row in enumerate(rows):
            bold = ' class="total"' if slide.table_bold_last and index == len(rows) - 1 else ""
            body.append(f"<tr{bold}>" + "".join(f"<td{align[i]}>{_e(cell)}</td>" for i, cell in enumerate(row)) + "</tr>")
        content.append(f'<table><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>')
    if slide.picture:
        caption = f"<figcaption>{_e(slide.caption)}</figcaption>" if slide.caption else ""
        content.append(f'<figure><img src="{_picture(slide.picture.png)}" alt="{_e(slide.picture.alt)}" '
                       f'width="{slide.picture.width}" height="{slide.picture.height}">{caption}</figure>')
    parts.append(f'<div class="content">{"".join(content)}</div>')
    if slide.kind not in ("title",):
        parts.append(f'<p class="footer">{_e(deck.footer)}<span>{number + 1}</span></p>')
    notes = "".join(f"<p>{_e(block)}</p>" for block in slide.notes.split("\n\n") if block.strip())
    return (f'<section class="slide kind-{slide.kind}" lang="{_e(slide.lang)}" dir="{direction}" '
            f'data-item="{slide.item}">{"".join(parts)}<template class="speaker-notes">{notes}</template></section>')


STYLE = """
:root{--ink:#1a202c;--title:#1f3a5f;--panel:#eef2f7;--red:#b83227;--gold:#f2c94c;--muted:#4a5568;
--warn-bg:#fde8e6;--warn:#8a1c12;font-family:"Noto Sans","Noto Sans Arabic","Segoe UI",Tahoma,Arial,sans-serif;color:var(--ink)}
*{box-sizing:border-box}
body{margin:0;background:#dfe4ea}
button,input{font:inherit}
button{background:var(--title);color:#fff;border:0;border-radius:.3rem;padding:.45rem .8rem;cursor:pointer;min-height:2.75rem}
button:focus-visible,input:focus-visible{outline:3px solid var(--red);outline-offset:2px}
input{min-height:2.75rem;padding:.3rem;border:1px solid var(--muted);border-radius:.3rem}
.bar{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;justify-content:space-between;padding:.5rem 1rem;
background:#fff}
.bar h1{font-size:1.1rem;margin:0;color:var(--title)}
.controls{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center}
#position{min-width:8rem;text-align:center;font-weight:bold}
.stage{display:grid;grid-template-columns:minmax(0,2fr) minmax(18rem,1fr);gap:1rem;padding:1rem}
.side,.column{display:flex;flex-direction:column;gap:1rem;min-width:0}
.side>section,.notes{background:#fff;border-radius:.4rem;padding:.75rem 1rem}
.side h2,.notes h2{font-size:1rem;margin:0 0 .5rem;color:var(--title)}
.notes-text{font-size:1.1rem;line-height:1.5}
.notes-text p{margin:.3rem 0 .7rem;white-space:pre-line}
.clock{display:grid;grid-template-columns:repeat(2,minmax(0,1fr));gap:.5rem;margin:.5rem 0}
.clock div{background:var(--panel);padding:.4rem;border-radius:.3rem}
.clock div:first-child{grid-column:1/-1}
.clock dt{font-size:.8rem;color:var(--muted)}
.clock dd{margin:0;font-size:1.3rem;font-weight:bold;overflow-wrap:anywhere}
#item{font-size:.95rem}
.clock-controls{display:flex;flex-wrap:wrap;gap:.4rem;align-items:center;margin:0}
.warning:empty{display:none}
.warning{background:var(--warn-bg);color:var(--warn);border-inline-start:.4rem solid var(--red);padding:.5rem;
font-weight:bold;margin:.5rem 0}
.presenter.over .current .frame{outline:.4rem solid var(--red)}
.note{font-size:.85rem;color:var(--muted);margin:.25rem 0}
.frame{container-type:inline-size;aspect-ratio:16/9;background:#fff;overflow:hidden;position:relative;
box-shadow:0 1px 4px rgba(0,0,0,.25)}
.frame.small{pointer-events:none}
.frame .slide{position:absolute;inset:0;padding:2.2cqw 4.5cqw 4cqw;display:flex;flex-direction:column;
font-size:2.4cqw;line-height:1.3}
.slide .title{font-size:3.6cqw;color:var(--title);margin:0 0 1.2cqw;padding-bottom:.8cqw;border-bottom:.3cqw solid var(--red)}
.slide .meta{white-space:pre-wrap;background:var(--panel);color:var(--title);font-weight:bold;padding:.6cqw 1cqw;
margin:0 0 1cqw;font-size:2cqw}
.slide .content{display:flex;gap:2cqw;min-height:0;flex:1}
.slide .body{flex:1;min-width:0}
.slide p{margin:0 0 .9cqw}
.slide ul,.slide ol{margin:0;padding-inline-start:3cqw}
.slide li{margin:0 0 .9cqw}
.slide li::marker{color:var(--red)}
.slide .level1{margin-inline-start:3cqw;font-size:.85em}
.slide .heading{color:var(--title);font-weight:bold;margin-top:1.2cqw}
.slide figure{margin:0;flex:1;display:flex;flex-direction:column;align-items:center;min-width:0}
.slide img{max-width:100%;max-height:34cqw;height:auto;width:auto}
.slide figcaption{font-size:1.5cqw;font-style:italic;text-align:center;margin-top:.5cqw}
.slide table{border-collapse:collapse;font-size:1.7cqw;width:100%}
.slide th{background:var(--title);color:#fff;text-align:start;padding:.3cqw .8cqw}
.slide td{padding:.25cqw .8cqw}
.slide th.right,.slide td.right{text-align:right}.slide th.middle,.slide td.middle{text-align:center}
.slide tbody tr:nth-child(odd){background:var(--panel)}
.slide tr.total{font-weight:bold}
.slide .footer{position:absolute;inset-inline:4.5cqw;bottom:1cqw;font-size:1.3cqw;color:#5a6473;display:flex;
justify-content:space-between;margin:0}
.slide.kind-title,.slide.kind-closing,.slide.kind-break{background:var(--title);color:#fff}
.slide.kind-title .title,.slide.kind-closing .title,.slide.kind-break .title{color:#fff;border-color:var(--gold);
font-size:5cqw;margin-top:auto}
.slide.kind-title{justify-content:center}
.slide.kind-title .title{margin-top:0}
.slide.kind-title .subtitle{color:var(--gold);font-weight:bold;font-size:2.8cqw;margin:0 0 1cqw}
.slide.kind-closing .heading,.slide.kind-break .heading{color:var(--gold)}
.slide.kind-closing .footer,.slide.kind-break .footer{color:#dfe4ea}
.slide.kind-break .content{flex:0 0 auto;margin-bottom:auto;font-size:3.4cqw}
.audience-view{position:fixed;inset:0;background:#000;display:flex;align-items:center;justify-content:center}
.audience-view[hidden]{display:none}
.audience-view main{width:min(100vw,calc(100vh*16/9))}
@media (max-width:52rem){.stage{grid-template-columns:minmax(0,1fr);padding:.5rem}.clock dd{font-size:1.1rem}
.notes-text{max-height:45vh;overflow:auto}}
"""

SCRIPT = r"""
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("data").textContent);
  var slides = Array.prototype.slice.call(document.querySelectorAll("#slides > .slide"));
  var total = slides.length;
  var audienceMode = location.hash === "#audience";
  var index = 0;
  var audience = null;
  var channel = null;
  try { channel = new BroadcastChannel("teachforward-present:" + data.deck); } catch (error) { channel = null; }

  function clamp(n) { return Math.max(0, Math.min(total - 1, n)); }
  function copy(n) { var node = slides[n].cloneNode(true); var t = node.querySelector("template"); if (t) t.remove();
    return node; }
  function show(frame, n) {
    frame.textContent = "";
    if (n < total) { frame.appendChild(copy(n)); }
    else { var p = document.createElement("p"); p.className = "end"; p.textContent = data.text.present_end;
      frame.appendChild(p); }
  }
  function tell(message) {
    if (audience && !audience.closed) { audience.postMessage(message, "*"); }
    if (channel) { channel.postMessage(message); }
  }

  function go(n, fromElsewhere) {
    index = clamp(n);
    if (audienceMode) {
      show(document.getElementById("projected"), index);
      if (!fromElsewhere) {
        if (window.opener) { window.opener.postMessage({ type: "go", index: index }, "*"); }
        if (channel) { channel.postMessage({ type: "go", index: index }); }
      }
      return;
    }
    show(document.getElementById("current"), index);
    show(document.getElementById("upcoming"), index + 1);
    var notes = document.getElementById("notes");
    notes.textContent = "";
    var template = slides[index].querySelector("template.speaker-notes");
    if (template && template.content.childNodes.length) { notes.appendChild(template.content.cloneNode(true)); }
    else { var p = document.createElement("p"); p.textContent = data.text.present_no_notes; notes.appendChild(p); }
    notes.setAttribute("lang", slides[index].getAttribute("lang"));
    notes.setAttribute("dir", slides[index].getAttribute("dir"));
    document.getElementById("position").textContent =
      data.position.replace("{number}", index + 1).replace("{total}", total);
    document.getElementById("presenter").setAttribute("data-slide", String(index));
    try { history.replaceState(null, "", "#" + (index + 1)); } catch (error) { /* file:// in some browsers */ }
    if (!fromElsewhere) { tell({ type: "slide", index: index }); }
    tick();
  }

  function onKey(event) {
    if (event.target && /^(INPUT|TEXTAREA|SELECT)$/.test(event.target.tagName)) { return; }
    var forward = data.rtl ? "ArrowLeft" : "ArrowRight";
    var back = data.rtl ? "ArrowRight" : "ArrowLeft";
    var key = event.key;
    if (key === forward || key === "PageDown" || key === " " || key === "n" || key === "ArrowDown") { go(index + 1); }
    else if (key === back || key === "PageUp" || key === "p" || key === "ArrowUp" || key === "Backspace") { go(index - 1); }
    else if (key === "Home") { go(0); }
    else if (key === "End") { go(total - 1); }
    else { return; }
    event.preventDefault();
  }
  document.addEventListener("keydown", onKey);

  function swipe(element) {
    var x = null, y = null;
    element.addEventListener("touchstart", function (e) { x = e.touches[0].clientX; y = e.touches[0].clientY; }, {
      passive: true });
    element.addEventListener("touchend", function (e) {
      if (x === null) { return; }
      var dx = e.changedTouches[0].clientX - x, dy = e.changedTouches[0].clientY - y;
      x = null;
      if (Math.abs(dx) < 40 || Math.abs(dx) < Math.abs(dy)) { return; }
      var towardsStart = data.rtl ? dx > 0 : dx < 0;      // a swipe towards the start of the line moves on
      go(index + (towardsStart ? 1 : -1));
    });
  }

  window.addEventListener("message", function (event) {
    var message = event.data;
    if (!message || typeof message.index !== "number") { return; }
    if (audienceMode && event.source === window.opener && message.type === "slide") { go(message.index, true); }
    if (!audienceMode && audience && event.source === audience && message.type === "go") { go(message.index, true);
      tell({ type: "slide", index: index }); }
    if (!audienceMode && audience && event.source === audience && message.type === "hello") { tell({
      type: "slide", index: index }); }
  });
  if (channel) {
    channel.onmessage = function (event) {
      var message = event.data || {};
      if (typeof message.index !== "number") { return; }
      if (audienceMode && message.type === "slide") { go(message.index, true); }
      if (!audienceMode && message.type === "go") { go(message.index, true); }
    };
  }

  // --- the pacing clock: where the agenda says we should be, against the time that has passed
  var started = null;      // ms since 1970 when the session started
  var pausedAt = null;
  var plan = [], at = 0;
  data.agenda.forEach(function (step) { plan.push({ start: at, end: at + step.minutes, activity: step.activity });
    at += step.minutes; });

  function clockText(seconds) {
    var negative = seconds < 0; seconds = Math.abs(seconds);
    var minutes = Math.floor(seconds / 60), hours = Math.floor(minutes / 60);
    var text = (hours ? hours + ":" + String(minutes % 60).padStart(2, "0") : String(minutes)) + ":" +
      String(seconds % 60).padStart(2, "0");
    return (negative ? "−" : "") + text;
  }
  function tick() {
    if (audienceMode) { return; }
    var slideItem = Number(slides[index].getAttribute("data-item")) || 0;
    var step = plan[Math.min(slideItem, plan.length - 1)];
    var itemBox = document.getElementById("item"), left = document.getElementById("left");
    var warning = document.getElementById("warning"), presenter = document.getElementById("presenter");
    itemBox.textContent = step ? step.activity : "";
    if (started === null || !step) {
      left.textContent = step ? clockText((step.end - step.start) * 60) : "–";
      document.getElementById("elapsed").textContent = "0:00";
      document.getElementById("clock-note").textContent = data.text.present_not_started;
      warning.textContent = ""; presenter.classList.remove("over");
      return;
    }
    document.getElementById("clock-note").textContent = "";
    var now = pausedAt !== null ? pausedAt : Date.now();
    var elapsed = Math.max(0, Math.floor((now - started) / 1000));       // whole seconds
    document.getElementById("elapsed").textContent = clockText(elapsed);
    var remaining = step.end * 60 - elapsed;
    left.textContent = clockText(remaining);
    if (remaining < 0) {
      warning.textContent = data.over.replace("{minutes}", String(Math.ceil(-remaining / 60)))
        .replace("{activity}", step.activity);
      presenter.classList.add("over");
    } else { warning.textContent = ""; presenter.classList.remove("over"); }
  }

  function startAt(ms) { started = ms; pausedAt = null; document.getElementById("pause").hidden = false; tick(); }

  if (audienceMode) {
    document.getElementById("presenter").hidden = true;
    document.getElementById("audience-view").hidden = false;
    var projected = document.getElementById("projected");
    projected.addEventListener("click", function () { go(index + 1); });
    swipe(projected);
    go(0, true);
    if (window.opener) { window.opener.postMessage({ type: "hello", index: 0 }, "*"); }
    return;
  }

  var current = document.getElementById("current");
  current.addEventListener("click", function () { go(index + 1); });
  swipe(current);
  document.getElementById("previous").addEventListener("click", function () { go(index - 1); });
  document.getElementById("next").addEventListener("click", function () { go(index + 1); });
  document.getElementById("audience").addEventListener("click", function () {
    audience = window.open(location.href.split("#")[0] + "#audience", "teachforward-audience");
  });
  document.getElementById("start").addEventListener("click", function () {
    if (pausedAt !== null && started !== null) { started += Date.now() - pausedAt; pausedAt = null; tick(); return; }
    startAt(Date.now());
  });
  document.getElementById("pause").addEventListener("click", function () {
    if (started !== null && pausedAt === null) { pausedAt = Date.now(); tick(); } });
  document.getElementById("reset").addEventListener("click", function () {
    started = null; pausedAt = null; document.getElementById("start-time").value = "";
    document.getElementById("pause").hidden = true; tick();
  });
  document.getElementById("start-time").addEventListener("change", function (event) {
    var parts = String(event.target.value).split(":");
    if (parts.length < 2) { return; }
    var start = new Date(Date.now());
    start.setHours(Number(parts[0]), Number(parts[1]), 0, 0);
    startAt(start.getTime());
  });
  setInterval(tick, 1000);
  var first = Number((location.hash.match(/^#(\d+)$/) || [])[1] || 1) - 1;
  go(first);
})();
"""
