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

  /* A code block too wide for the screen scrolls sideways, so it must be reachable with the
     keyboard (axe-core rule scrollable-region-focusable, "serious"). Material makes it
     focusable only on screens with a pointer that hovers, and takes that back on phones and
     tablets: give it back whenever it is taken. */
  function reachable(code) {
    if (code.scrollWidth > code.clientWidth && code.getAttribute("tabindex") !== "0") {
      code.setAttribute("tabindex", "0");
    }
  }
  function all() {
    Array.prototype.forEach.call(document.querySelectorAll(".md-typeset pre > code"), reachable);
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
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", watch);
  } else {
    watch();
  }
})();
