/* Teach Forward: small additions to Material's scripts. */
(function () {
  /* Opened from an unzipped offline pack: it holds one language and not the pack itself, so
     the language selector and the link to the pack are hidden (.tf-online-only). */
  if (location.protocol === "file:") document.documentElement.classList.add("tf-offline");

  /* A printed workshop page is the facilitator's whole script. Folded "possible responses"
     (<details>) open before printing and fold again afterwards. Material does the same for
     the details it has mounted; this also covers the rest. */
  var opened = [];
  window.addEventListener("beforeprint", function () {
    opened = Array.prototype.slice.call(document.querySelectorAll(".md-content details:not([open])"));
    opened.forEach(function (details) { details.open = true; });
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (details) { details.open = false; });
    opened = [];
  });

  /* Material sends the search box's text to the search when a key goes up. Text that comes
     without key events (a character an input method, a virtual keyboard, dictation or paste
     puts in; Arabic letters typed through automation) never reached it, unless the index
     happened to finish loading after the typing, as it does from file://. Every change of the
     text now counts as a key going up. */
  document.addEventListener("input", function (event) {
    var box = event.target;
    if (box && box.matches && box.matches("input[data-md-component=search-query]") && !event.isComposing) {
      box.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
    }
  }, true);

  /* The search index comes in shards (site/search_shards.py): the worker ranks every result but
     fetches the titles and texts of the first ten pages of results only. Material shows more as
     the reader scrolls; those arrive with stand-ins (data-tf-doc), and are asked for here, from
     the worker the page's search runs in (caught at its first message), and put in place. */
  var searchWorker = null, asked = {};
  var TEXTS = 100, FILLED = 101, SETUP = 0, RESULT = 3;
  function catchWorker(Kind) {
    if (!Kind || !Kind.prototype) return;
    var post = Kind.prototype.postMessage;
    Kind.prototype.postMessage = function (message) {
      if (!searchWorker && message && message.type === SETUP) {
        searchWorker = this;
        this.addEventListener("message", function (event) {
          if (event.data && event.data.type === RESULT && typeof event.data.query === "string") {
            var list = document.querySelector(".md-search-result");
            if (list) list.setAttribute("data-tf-answered", event.data.query);   // what the list shows the results of
          }
          if (!event.data || event.data.type !== FILLED) return;
          var box = document.querySelector("input[data-md-component=search-query]");
          if (box && box.value === event.data.query) return event.data.data.forEach(put);
          event.data.data.forEach(function (found) { delete asked[found.number]; });    // an earlier query's
        });
      }
      return post.apply(this, arguments);
    };
  }
  catchWorker(window.Worker);
  if (window.IFrameWorker && window.IFrameWorker !== window.Worker) catchWorker(window.IFrameWorker);
  function put(found) {
    var config = JSON.parse(document.getElementById("__config").textContent);
    Array.prototype.forEach.call(document.querySelectorAll('[data-tf-doc="' + found.number + '"]'), function (stand) {
      var link = stand.closest("a");
      if (link) {
        var url = new URL(found.location, new URL(config.base, location.href));
        var was = new URL(link.href);
        if (was.searchParams.has("h")) url.searchParams.set("h", was.searchParams.get("h"));
        link.href = url.href;
      }
      stand.outerHTML = stand.tagName === "SPAN" ? found.title : found.text;
    });
  }
  new MutationObserver(function () {
    if (!searchWorker) return;
    var wanted = [];
    Array.prototype.forEach.call(document.querySelectorAll(".md-search-result__list [data-tf-doc]"), function (stand) {
      var number = Number(stand.getAttribute("data-tf-doc"));
      if (!asked[number] && wanted.indexOf(number) < 0) wanted.push(number);
    });
    wanted.forEach(function (number) { asked[number] = true; });
    if (wanted.length) searchWorker.postMessage({ type: TEXTS, data: wanted });
  }).observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener("keyup", function (event) {
    if (event.target && event.target.matches && event.target.matches("input[data-md-component=search-query]")) asked = {};
  }, true);

  /* A code block too wide for the screen scrolls sideways, so it must be reachable with the
     keyboard (axe-core rule scrollable-region-focusable, "serious"). Material makes it
     focusable only on screens with a pointer that hovers, and takes that back on phones and
     tablets: give it back whenever it is taken. */
  function reachable(code) {
    if (code.scrollWidth > code.clientWidth && code.getAttribute("tabindex") !== "0") {
      code.setAttribute("tabindex", "0");
    }
  }
  /* A table too wide for a phone (a run-sheet's six columns) scrolls inside Material's wrapper:
     reachable in the same way. */
  function all() {
    Array.prototype.forEach.call(document.querySelectorAll(".md-typeset pre > code, .md-typeset__scrollwrap"), reachable);
  }
  function watch() {
    all();
    new MutationObserver(function (records) {
      records.forEach(function (record) {
        if (record.target.matches && record.target.matches(".md-typeset pre > code")) reachable(record.target);
      });
    }).observe(document.body, { attributes: true, attributeFilter: ["tabindex"], subtree: true });
    window.addEventListener("resize", all);
  }
  /* A run-sheet's clock times follow its start field (site/kit.py writes each time's minutes
     after the start in data-offset). The start is kept in the address (?start=13:30), so a
     bookmarked or shared run-sheet opens with it, from a web server or from file://. */
  var CLOCK = /^([01]\d|2[0-3]):([0-5]\d)$/;
  function startFromAddress() {
    var match = /[?&]start=([^&#]*)/.exec(location.search);
    var value = match ? decodeURIComponent(match[1]) : "";
    return CLOCK.test(value) ? value : null;
  }
  function showTimes(start) {
    var parts = CLOCK.exec(start);
    if (!parts) return;
    var begin = Number(parts[1]) * 60 + Number(parts[2]);
    Array.prototype.forEach.call(document.querySelectorAll(".tf-clock[data-offset]"), function (span) {
      var total = (begin + Number(span.getAttribute("data-offset"))) % 1440;
      span.textContent = String(Math.floor(total / 60)).padStart(2, "0") + ":" + String(total % 60).padStart(2, "0");
    });
  }
  function keepInAddress(start, fallback) {
    var search = start === fallback ? "" : "?start=" + start;
    try {
      history.replaceState(null, "", location.pathname + search + location.hash);
    } catch (error) {
      /* Some browsers refuse to change a file:// address: the times still follow the field. */
    }
  }
  function runSheet() {
    var field = document.getElementById("tf-start");
    if (!field) return;
    var fallback = field.getAttribute("data-default");
    var start = startFromAddress();
    if (start) field.value = start;
    showTimes(field.value);
    field.addEventListener("input", function () {
      if (!CLOCK.test(field.value)) return;
      showTimes(field.value);
      keepInAddress(field.value, fallback);
    });
  }

  function ready() {
    watch();
    runSheet();
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
