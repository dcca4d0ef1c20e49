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
      var asked = ++queries;
      queue(function () {
        return messagesIn().then(function () { return asked === queries ? answer(message.data, asked) : null; });
      });
    } else if (message.type === TEXTS && shards) {
      event.stopImmediatePropagation();
      queue(function () {
        return fill(message.data).catch(function (error) {    // the list stays as it is
          console.warn("teachforward-search.js:", error);
        });
      });
    }
  });

  importScripts(new URL(material[1], own).href);   // in the shim's iframe: loaded before the first message

  /* --- the index in shards ----------------------------------------------------------------- */

  var shards = null;           // { manifest, setup, loaded: {name: data}, dictionary, query }
  var queries = 0;             // queries received: one overtaken by a newer one is dropped
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
    shards = { manifest: config.teachforward, loaded: {}, dictionary: null, query: null,
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

  // starts: the first document number of each shard (or page), in order
  function lastStartAtOrBefore(starts, number) {
    var low = 0, high = starts.length - 1;
    while (low < high) {
      var middle = (low + high + 1) >> 1;
      if (starts[middle] <= number) low = middle; else high = middle - 1;
    }
    return low;
  }

  function shardOf(number) {
    return lastStartAtOrBefore(shards.manifest.documentShards, number);
  }

  var SHOWN = 10;              // Material shows the first ten pages of results, more on scrolling
  var TEXTS = 100, FILLED = 101;   // the page asks for the texts of results it shows: teachforward.js

  function placeholder(number) {
    var pages = shards.manifest.pages, page = pageOf(number);
    return "tf-" + page + ".html" + (pages[page] === number ? "" : "#" + number);
  }

  function pageOf(number) {
    return lastStartAtOrBefore(shards.manifest.pages, number);
  }

  function numberOf(location) {
    var match = /^tf-(\d+)\.html(?:#(\d+))?$/.exec(location);
    return match ? Number(match[2] === undefined ? shards.manifest.pages[Number(match[1])] : match[2]) : -1;
  }

  // For each document holding a word that may match: the word's counts in title and text and
  // where it first appears, from the word shards.
  function occurrences(words) {
    var found = {};
    words.forEach(function (place) {
      var word = shards.manifest.wordShards[place[0]][place[1]];
      var flat = shards.loaded["w" + place[0]][place[1]], number = -1;
      for (var i = 0; i < flat.length; i += 4) {
        number += flat[i];
        (found[number] || (found[number] = [])).push({ word: word, title: flat[i + 1], text: flat[i + 2], first: flat[i + 3] });
      }
    });
    return found;
  }

  // A stand-in for a document: the words that may match, as often as it has them, in the order
  // it has them; a page's article comes with every section (Material groups sections by it).
  function standIns(found) {
    var numbers = {}, pages = shards.manifest.pages;
    Object.keys(found).forEach(function (n) {
      numbers[n] = true;
      numbers[pages[pageOf(Number(n))]] = true;
    });
    return Object.keys(numbers).map(Number).sort(function (a, b) { return a - b; }).map(function (number) {
      var words = (found[number] || []).slice().sort(function (a, b) { return a.first - b.first; });
      function field(name) {
        var out = [];
        words.forEach(function (w) { for (var k = 0; k < w[name]; k++) out.push(w.word); });
        return out.join(" ");
      }
      return { number: number, doc: { location: placeholder(number), title: field("title"), text: field("text") } };
    });
  }

  function documents(numbers) {
    var names = [];
    numbers.forEach(function (number) {
      var name = "d" + shardOf(number);
      if (names.indexOf(name) < 0) names.push(name);
    });
    return load(names).then(function () {
      var real = {};
      names.forEach(function (name) {
        var first = shards.manifest.documentShards[Number(name.slice(1))];
        shards.loaded[name].forEach(function (doc, k) { real[first + k] = doc; });
      });
      return real;
    });
  }

  function search(docs, query) {
    return ask(SETUP, { config: shards.setup.config, docs: docs, options: shards.setup.options }).then(function () {
      return ask(QUERY, query);
    });
  }

  // Thrown between the steps of a query a newer one has overtaken: the page shows only the newest.
  function Overtaken() {}
  function current(asked) {
    if (asked !== queries) throw new Overtaken();
  }

  // The steps of a query are promises, which run before any message waiting for the worker: a
  // reader's next keystroke would only arrive once this query is answered, and each letter of a
  // word would be searched in turn (an Arabic word typed quickly took 14 s, its first letter
  // alone 9). A pause for the waiting messages lets a newer query overtake this one.
  function messagesIn() {
    return new Promise(function (resolve) { setTimeout(resolve, 0); });
  }

  function answer(query, asked) {
    collecting = {};
    return ask(QUERY, query).then(function (empty) {
      var queryString = collecting.query;
      collecting = null;
      if (queryString === undefined) {          // Material asked nothing of lunr
        empty.query = query;
        return send.call(self, empty);
      }
      var from = dictionary().from, wanted = [], words = [], counted = {};
      expand(queryString).forEach(function (term) {
        from[term].forEach(function (place) {
          if (counted[place]) return;        // a word whose two forms both match counts once
          counted[place] = true;
          words.push(place);
          if (wanted.indexOf("w" + place[0]) < 0) wanted.push("w" + place[0]);
        });
      });
      var stand;
      return messagesIn().then(function () {
        current(asked);
        return load(wanted);
      }).then(messagesIn).then(function () {
        current(asked);
        stand = standIns(occurrences(words));
        return search(stand.map(function (s) { return s.doc; }), query);
      }).then(function (ranked) {
        return messagesIn().then(function () { return ranked; });
      }).then(function (ranked) {
        current(asked);
        // The pages shown first, searched again whole for their titles and highlights.
        var shown = {};
        ranked.data.items.slice(0, SHOWN).forEach(function (group) {
          group.forEach(function (item) { shown[pageOf(numberOf(item.location))] = true; });
        });
        var pages = shards.manifest.pages, numbers = [];
        Object.keys(shown).forEach(function (page) {
          page = Number(page);
          var end = page + 1 < pages.length ? pages[page + 1] : shards.manifest.documents;
          for (var n = pages[page]; n < end; n++) numbers.push(n);
        });
        return documents(numbers).then(function (real) {
          return messagesIn().then(function () { return real; });
        }).then(function (real) {
          current(asked);
          var docs = [], done = {};
          stand.forEach(function (s) {
            var page = pageOf(s.number);
            if (!shown[page]) return docs.push(s.doc);
            if (done[page]) return;
            done[page] = true;
            var end = page + 1 < pages.length ? pages[page + 1] : shards.manifest.documents;
            for (var n = pages[page]; n < end; n++) docs.push(real[n]);
          });
          return search(docs, query);
        });
      }).then(function (result) {
        shards.query = query;
        result.query = query;          // which query this answers (teachforward.js marks the list)
        result.data.items.forEach(function (group) {
          group.forEach(function (item) {
            var number = numberOf(item.location);
            if (number < 0) return;
            item.title = '<span data-tf-doc="' + number + '"></span>';
            item.text = '<p data-tf-doc="' + number + '"></p>';
          });
        });
        send.call(self, result);
      });
    }).catch(function (error) {
      if (!(error instanceof Overtaken)) throw error;
    });
  }

  // The titles, texts and addresses of results the page now shows, as the whole index gives them.
  function fill(numbers) {
    if (!shards.query) return Promise.resolve();
    var pages = shards.manifest.pages, all = [];
    numbers.forEach(function (number) {
      var page = pageOf(number), end = page + 1 < pages.length ? pages[page + 1] : shards.manifest.documents;
      for (var n = pages[page]; n < end; n++) if (all.indexOf(n) < 0) all.push(n);
    });
    all.sort(function (a, b) { return a - b; });
    return documents(all).then(function (real) {
      return search(all.map(function (n) { return real[n]; }), shards.query).then(function (result) {
        var byLocation = {};
        result.data.items.forEach(function (group) {
          group.forEach(function (item) { byLocation[item.location] = item; });
        });
        send.call(self, { type: FILLED, query: shards.query, data: numbers.map(function (number) {
          var doc = real[number], item = byLocation[doc.location] || doc;
          var found = { number: number, location: doc.location, title: item.title, text: item.text };
          if (item.parent) found.parent = item.parent;
          return found;
        }) });
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
