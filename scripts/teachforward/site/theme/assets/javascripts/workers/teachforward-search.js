/* Teach Forward: Material's search worker, with each language's analysis applied the same way
   to the pages (when the worker builds its index in the browser) and to what the reader types.

   The page's configuration points the search at this file (main.html, block config), which
   loads Material's own worker (named in ?material=) and changes three things in it:

   1. Every word of a page is indexed twice: as written (lower case; for Arabic, normalised,
      see below) and as the language's stemmer reduces it, after the language's trimmer and
      stop words. Material's partials turn stemming off for most languages ("pipeline") and
      leave the Arabic site with no trimmer, stop words or stemmer at all.
   2. Material makes every typed word a prefix ("work*"), and lunr then skips the language's
      analysis for it: an inflected form that the pages do not contain ("workers" where they
      say "worker") found nothing. Each typed word now also looks for its stem, exactly; a
      finished word (one followed by another) that is a stop word is left out.
   3. Arabic: the same normalisation on both sides, so that a query matches across alef forms
      (أ إ آ ٱ → ا), ى/ي and ة/ه, with or without tashkeel and tatweel, and with or without
      the article (ال، وال، بال، كال، فال، لل): بيانات finds البيانات.

   It runs as a Web Worker over http and, from file:// (the offline pack), inside the iframe
   that the iframe-worker shim makes instead. */
(function () {
  "use strict";

  var own = typeof document !== "undefined" && document.currentScript
    ? document.currentScript.src : self.location.href;
  var material = /[?&]material=(search\.[0-9a-f]+\.min\.js)/.exec(own);
  if (!material) throw new Error("teachforward-search.js: no ?material=search.<hash>.min.js in " + own);

  // Registered before Material's own listener, so it runs first for every message.
  addEventListener("message", function (event) {
    var message = event.data;
    if (message && message.type === 0 && message.data && message.data.config) {   // SETUP
      var langs = message.data.config.lang || ["en"];
      extend(self.lunr, langs.filter(function (l) { return l !== "en"; })[0] || "en");
    }
  });

  importScripts(new URL(material[1], own).href);   // in the shim's iframe: loaded before the first message

  /* --- Arabic normalisation ------------------------------------------------------------ */

  var TASHKEEL = /[\u064B-\u065F\u0670\u06D6-\u06ED]/g;
  var TATWEEL = /\u0640/g;
  var ALEF = /[\u0622\u0623\u0625\u0671]/g;         // آ أ إ ٱ
  var ARTICLE = /^(?:[وبكف]?ال|لل)(?=[^]{2})/;       // the article, alone or after و ب ك ف; لل

  // Before the stemmer: what it would otherwise read differently, ة kept (the stemmer knows it).
  function arabicForStemmer(word) {
    return word.replace(TASHKEEL, "").replace(TATWEEL, "").replace(ALEF, "\u0627").replace(/\u0649/g, "\u064A");
  }

  // The word as written, made comparable: also ة → ه and without the article.
  function arabicSurface(word) {
    return arabicForStemmer(word).replace(/\u0629/g, "\u0647").replace(ARTICLE, "");
  }

  /* --- the pipelines --------------------------------------------------------------------- */

  var installed = false;
  var EDGES = /^[^\p{L}\p{M}\p{N}_]+|[^\p{L}\p{M}\p{N}_]+$/gu;

  // Called before Material's handler reads the SETUP message: the language's lunr support is
  // not loaded yet, so the pipelines are set when Material's index builder is configured.
  function extend(lunr, lang) {
    if (installed) return;
    installed = true;
    // Material sets up the language, its tokenizer and which of its functions to drop, then
    // names the reference field: the pipelines are set here, after all of that.
    var ref = lunr.Builder.prototype.ref;
    lunr.Builder.prototype.ref = function () {
      var analysis = analyse(lunr, lang);
      this.pipeline.reset();
      this.pipeline.add(analysis.trimmer, analysis.stopWords, analysis.pageForms);
      this.searchPipeline.reset();
      this.searchPipeline.add(analysis.queryStem);
      lunr.Index.prototype.search = searchWith(lunr, analysis);
      return ref.apply(this, arguments);
    };
  }

  function analyse(lunr, lang) {
    var support = lang === "en" ? lunr : lunr[lang];
    if (!support || !support.stemmer) throw new Error("teachforward-search.js: lunr has no support for " + lang);
    var arabic = lang === "ar";
    // One trimmer for every language: a page of a language's site may be an English page not
    // translated yet, a name may come in another script, and numbers are words too. (lunr's own
    // trimmers keep only their language's letters: the Arabic one drops every Latin word.)
    var trimmer = function (token) {
      return token.update(function (text) { return text.replace(EDGES, ""); });
    };
    var stopWords = support.stopWordFilter;
    var stemmer = support.stemmer;

    function surfaceOf(text) { return arabic ? arabicSurface(text) : text; }
    function stemOf(text) {
      var stemmed = stemmer(new lunr.Token(arabic ? arabicForStemmer(text) : text, {}));
      return stemmed ? stemmed.toString() : "";
    }

    // Index: the word as written and its stem, both at the word's place (for highlighting).
    function pageForms(token) {
      var text = token.toString(), surface = surfaceOf(text), stem = stemOf(text);
      var forms = surface ? [token.clone(function () { return surface; })] : [];
      if (stem && stem !== surface) forms.push(token.clone(function () { return stem; }));
      return forms.length ? forms : undefined;
    }
    // Query words lunr analyses itself (+required, -excluded): the stem, as in the index.
    function queryStem(token) {
      var stem = stemOf(token.toString());
      return stem ? token.clone(function () { return stem; }) : undefined;
    }
    lunr.Pipeline.registerFunction(trimmer, "teachforward-trimmer-" + lang);
    lunr.Pipeline.registerFunction(pageForms, "teachforward-forms-" + lang);
    lunr.Pipeline.registerFunction(queryStem, "teachforward-stem-" + lang);
    return { trimmer: trimmer, stopWords: stopWords, pageForms: pageForms, queryStem: queryStem,
             surfaceOf: surfaceOf, stemOf: stemOf };
  }

  function searchWith(lunr, analysis) {
    var trimmer = analysis.trimmer, stopWords = analysis.stopWords;
    var surfaceOf = analysis.surfaceOf, stemOf = analysis.stemOf;

    function isStopWord(word) {
      return !stopWords(new lunr.Token(word, {}));
    }

    return function (queryString) {
      var typed = [];    // [word as lunr parsed it, the index terms it may match]
      var queried = false;
      var results = this.query(function (query) {
        new lunr.QueryParser(queryString, query).parse();
        var clauses = query.clauses;
        query.clauses = [];
        clauses.forEach(function (clause, i) {
          var prefix = !clause.usePipeline && /^[^*]+\*$/.test(clause.term) && !("editDistance" in clause);
          if (!prefix) return query.clauses.push(clause);
          var word = clause.term.slice(0, -1);
          var last = i === clauses.length - 1;
          var trimmed = trimmer(new lunr.Token(word, {})).toString();
          var surface = surfaceOf(trimmed);
          if (!surface || (!last && isStopWord(trimmed))) {
            typed.push([word, null]);
            return;
          }
          var stem = stemOf(trimmed);
          var wanted = [[surface, lunr.Query.wildcard.TRAILING]];
          if (stem && stem !== surface) wanted.push([stem, lunr.Query.wildcard.NONE]);
          typed.push([word, wanted.map(function (w) { return w[0]; })]);
          wanted.forEach(function (w) {
            query.clause({ term: w[0], fields: clause.fields, boost: clause.boost, presence: clause.presence,
                           usePipeline: false, wildcard: w[1] });
          });
        });
        queried = query.clauses.length > 0;
      });
      if (!queried) return [];      // lunr would take a query left with no words for "everything"
      results.forEach(function (result) { tidy(result.matchData.metadata, typed); });
      return results;
    };
  }

  /* Material marks a typed word "missing" from a result unless one of the result's matched
     terms starts with it, and it highlights every position of every matched term. A word found
     through its stem or its normalised form is marked as found (a term with no positions), a
     left-out stop word too, and a place matched by two forms of a word is highlighted once. */
  function tidy(metadata, typed) {
    var terms = Object.keys(metadata);
    typed.forEach(function (entry) {
      var word = entry[0], forms = entry[1];
      if (terms.some(function (t) { return t.indexOf(word) === 0; })) return;
      var found = forms === null || terms.some(function (t) {
        return forms.some(function (f, k) { return k === 0 ? t.indexOf(f) === 0 : t === f; });
      });
      if (found) metadata[word] = {};
    });
    var seen = {};
    terms.forEach(function (term) {
      Object.keys(metadata[term]).forEach(function (field) {
        var entry = metadata[term][field];
        if (!entry.position) return;
        var mine = seen[field] || (seen[field] = {});
        entry.position = entry.position.filter(function (p) {
          var key = String(p);
          if (mine[key]) return false;
          mine[key] = true;
          return true;
        });
        if (!entry.position.length) delete metadata[term][field];
      });
    });
  }
})();
