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

   4. The index in shards (site/search_shards.py): the page's search_index.json holds no
      document, only a manifest of the words of the site and where their documents are. For
      each query this file finds, as lunr would expand it against every word's analysed forms,
      the words that may match, loads the documents they appear in (with their pages), gives
      those to Material's own handler as its index, with the site's whole document count for
      lunr's term weights, and lets it answer. lunr's scores depend only on a term's documents
      and the number of documents (Material sets b = 0), so the answer is the whole index's.

   It runs as a Web Worker over http and, from file:// (the offline pack), inside the iframe
   that the iframe-worker shim makes instead. */
(function () {
  "use strict";

  var own = typeof document !== "undefined" && document.currentScript
    ? document.currentScript.src : self.location.href;
  var material = /[?&]material=(search\.[0-9a-f]+\.min\.js)/.exec(own);
  if (!material) throw new Error("teachforward-search.js: no ?material=search.<hash>.min.js in " + own);

  var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;      // Material's message types

  // Registered before Material's own listener, so it runs first for every message.
  addEventListener("message", function (event) {
    var message = event.data;
    if (!message || message.teachforward) return;      // sent by this file to Material's handler
    if (message.type === SETUP && message.data && message.data.config) {
      var langs = message.data.config.lang || ["en"];
      extend(self.lunr, langs.filter(function (l) { return l !== "en"; })[0] || "en");
      shards = null;
      if (message.data.config.teachforward) {
        event.stopImmediatePropagation();
        queue(function () { return setUpShards(message.data); });
      }
    } else if (message.type === QUERY && shards) {
      event.stopImmediatePropagation();
      queue(function () { return answer(message.data); });
    }
  });

  importScripts(new URL(material[1], own).href);   // in the shim's iframe: loaded before the first message

  /* --- the index in shards ----------------------------------------------------------------- */

  var shards = null;           // { manifest, setup, loaded: {name: data}, dictionary, given }
  var tasks = Promise.resolve();
  var replied = null;          // resolves with Material's next message, which is then not sent on
  var send = self.postMessage;
  self.postMessage = function (message) {
    if (replied) {
      var resolve = replied;
      replied = null;
      return resolve(message);
    }
    return send.apply(self, arguments);
  };
  // Material loads the language's lunr support at every SETUP; with shards there is one SETUP
  // per new set of documents, and loading it again would only redefine the same functions.
  var importAll = self.importScripts, imported = {};
  self.importScripts = function () {
    var fresh = Array.prototype.filter.call(arguments, function (url) {
      var known = imported[url];
      imported[url] = true;
      return !known || url.indexOf(SHARDS) === 0;
    });
    return fresh.length ? importAll.apply(self, fresh) : undefined;
  };
  self.__teachforwardShard = function (name, data) {
    if (shards) shards.loaded[name] = data;
  };
  var SHARDS = new URL("../../../search/shards/", own).href;

  function queue(task) {
    tasks = tasks.then(task).catch(function (error) {
      console.warn("teachforward-search.js:", error);
      send.call(self, { type: RESULT, data: { items: [] } });
    });
  }

  // Material's handler, given a message as if from the page; resolves with its answer.
  function ask(type, data) {
    return new Promise(function (resolve) {
      replied = resolve;
      self.dispatchEvent(new MessageEvent("message", { data: { type: type, data: data, teachforward: true } }));
    });
  }

  function load(names) {
    var missing = names.filter(function (name) { return !(name in shards.loaded); });
    if (!missing.length) return Promise.resolve();
    return Promise.resolve(importScripts.apply(self, missing.map(function (name) { return SHARDS + name + ".js"; })))
      .then(function () {
        missing.forEach(function (name) {
          if (!(name in shards.loaded)) throw new Error("search shard " + name + " did not load");
        });
      });
  }

  function setUpShards(data) {
    var config = data.config;
    shards = { manifest: config.teachforward, loaded: {}, dictionary: null, given: null,
               setup: { config: config, options: data.options } };
    documentCount = shards.manifest.documents;
    return ask(SETUP, { config: config, docs: [], options: data.options }).then(function (ready) {
      send.call(self, ready);
    });
  }

  // Every analysed form (index term) of every word of the site -> the words it comes from, and
  // an index with those terms and no documents, for expanding a query as lunr expands it.
  function dictionary() {
    if (shards.dictionary) return shards.dictionary;
    var lunr = self.lunr, from = Object.create(null);
    shards.manifest.wordShards.forEach(function (words, s) {
      words.forEach(function (word, w) {
        pipelines.page.run([new lunr.Token(word, {})]).forEach(function (term) {
          term = term.toString();
          (from[term] || (from[term] = [])).push([s, w]);
        });
      });
    });
    var terms = Object.keys(from).sort();
    var fields = Object.keys(shards.setup.config.fields);
    var inverted = Object.create(null);
    terms.forEach(function (term, i) {
      var posting = { _index: i };
      fields.forEach(function (field) { posting[field] = {}; });
      inverted[term] = posting;
    });
    var index = new lunr.Index({ invertedIndex: inverted, fieldVectors: {}, tokenSet: lunr.TokenSet.fromArray(terms),
                                 fields: fields, pipeline: pipelines.query });
    return (shards.dictionary = { from: from, index: index });
  }

  // The index terms a query (as Material hands it to lunr) may match.
  function expand(queryString) {
    var index = dictionary().index, found = Object.create(null);
    var intersect = index.tokenSet.intersect;
    index.tokenSet.intersect = function (other) {
      var terms = intersect.call(this, other);
      terms.toArray().forEach(function (term) { found[term] = true; });
      return terms;
    };
    try {
      searchIn.call(index, queryString);
    } finally {
      delete index.tokenSet.intersect;
    }
    return Object.keys(found);
  }

  function shardOf(number) {
    var starts = shards.manifest.documentShards, low = 0, high = starts.length - 1;
    while (low < high) {
      var middle = (low + high + 1) >> 1;
      if (starts[middle] <= number) low = middle; else high = middle - 1;
    }
    return low;
  }

  function answer(query) {
    collecting = {};
    return ask(QUERY, query).then(function (empty) {
      var queryString = collecting.query;
      collecting = null;
      if (queryString === undefined) return send.call(self, empty);     // Material asked nothing of lunr
      var from = dictionary().from, wanted = [], words = [];
      expand(queryString).forEach(function (term) {
        from[term].forEach(function (place) {
          words.push(place);
          if (wanted.indexOf("w" + place[0]) < 0) wanted.push("w" + place[0]);
        });
      });
      return load(wanted).then(function () {
        var pages = {};
        words.forEach(function (place) {
          var number = -1;
          shards.loaded["w" + place[0]][place[1]].forEach(function (step) {
            number += step;
            pages[shardOf(number)] = true;
          });
        });
        var names = Object.keys(pages).map(Number).sort(function (a, b) { return a - b; })
          .map(function (n) { return "d" + n; });
        return load(names).then(function () { return names; });
      }).then(function (names) {
        var key = names.join(" ");
        if (shards.given === key) return null;
        shards.given = key;
        var docs = [];
        names.forEach(function (name) { docs.push.apply(docs, shards.loaded[name]); });
        return ask(SETUP, { config: shards.setup.config, docs: docs, options: shards.setup.options });
      }).then(function () {
        return ask(QUERY, query);
      }).then(function (result) {
        send.call(self, result);
      });
    });
  }

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
      var analysis = analysed || (analysed = analyse(lunr, lang));
      this.pipeline.reset();
      this.pipeline.add(analysis.trimmer, analysis.stopWords, analysis.pageForms);
      this.searchPipeline.reset();
      this.searchPipeline.add(analysis.queryStem);
      pipelines = { page: this.pipeline, query: this.searchPipeline };
      var search = searchWith(lunr, analysis);
      lunr.Index.prototype.search = function (queryString) {
        if (collecting) {            // the query as Material hands it to lunr, for answer()
          collecting.query = queryString;
          return [];
        }
        return search.call(this, queryString);
      };
      searchIn = search;
      return ref.apply(this, arguments);
    };
    // A term's weight counts the documents of the whole site, not those given to Material.
    var createFieldVectors = lunr.Builder.prototype.createFieldVectors;
    lunr.Builder.prototype.createFieldVectors = function () {
      if (!documentCount) return createFieldVectors.apply(this, arguments);
      var own = this.documentCount;
      this.documentCount = documentCount;
      try {
        return createFieldVectors.apply(this, arguments);
      } finally {
        this.documentCount = own;
      }
    };
  }
  var analysed = null, pipelines = null, searchIn = null, collecting = null, documentCount = 0;

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
        var kept = entry.position.filter(function (p) {
          var key = String(p);
          if (mine[key]) return false;
          mine[key] = true;
          return true;
        });
        // A new entry: lunr's MatchData may hold the index's own, which later queries read.
        if (kept.length) metadata[term][field] = Object.assign({}, entry, { position: kept });
        else delete metadata[term][field];
      });
    });
  }
})();
