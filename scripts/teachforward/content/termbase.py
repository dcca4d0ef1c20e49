"""The workshops' key terms as a termbase: in each language, the translation a workshop gives
its key term is the agreed word for it in the whole course.

The check warns (never fails) when a translated section says in English one of the key
terms but its translation does not use the agreed term, and when one English term is given
two different translations. Words are compared without case, accents or (Arabic) short vowels,
and each word of a term matches any word that starts with its stem, so that plurals and
other endings do not count as a different term. In the English a term's words stand in one
clause, and an -ing term matches only -ing words; in Arabic a feminine plural in ات is its
singular in ة.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache, partial
from pathlib import Path

from teachforward.content.model import Course, Language, Workshop
from teachforward.content.tracking import document_sections, exercise_sections, facts_sections
from teachforward.problems import FindingsMemo, Problems, remembered

WORD = re.compile(r"\w+", re.UNICODE)
# In the English, a term's words are in one sentence or clause: "data. Processing" is not the
# term "Data processor". These marks end one; the English side keeps them as empty words.
TOKEN = re.compile(r"\w+|[.!?;:]", re.UNICODE)
CLAUSE_END = ""
# An English term word ending in -ing names an activity; it matches only another -ing word
# ("profiling" is not the noun "profiles", "repurposing" not "repurposed").
GERUND, GERUND_ENDINGS = "ing", ("ing", "ings")
MIN_STEM = 4
SHORT_WORD = 6
# A word matches a term's word when it starts with the stem and is at most this much longer:
# strict where the English is searched ("data" is not "database"), lenient in the translation,
# whose endings vary more (French "algorithmique" for "algorithme").
# In English a matching word is also at most one letter shorter, so that the verb "infer" is not
# the noun "inference" (a translator rightly renders them differently) while "co-governing" is
# still "co-governance".
ENGLISH_LONGER, TRANSLATED_LONGER, ENGLISH_SHORTER = 2, 4, 1
GLOSS = re.compile(r"\([^)]*\)")
# How many letters an ending may take away, per language (the rest of the word must match).
ENDINGS = {"en": 4, "fr": 4, "es": 4, "pt": 4, "it": 4, "ca": 4, "ar": 2}
DEFAULT_ENDING = 2
# Link targets, picture files, ids and addresses are not words of the text ("02-data-lifecycle").
NOT_WORDS = re.compile(r"\]\([^)]*\)|\{#[^}]*\}|<?https?://[^\s>)]*>?")
# Book and report titles are often kept in their original language.
UNCHECKED_FIELDS = {"further_reading"}
ARABIC_PREFIXES = ("وال", "بال", "فال", "كال", "لل", "ال")
ARABIC_PROCLITICS = "وفبلك"
ARABIC_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي",
                             "ـ": None})
# The Arabic sound feminine plural turns the singular's ة (folded to ه) into ات, also before an
# attached pronoun: «محطات», «محطاتكم» are the plural of «المحطة».
ARABIC_FEMININE_PLURAL = re.compile(r"^(\w{2,})ات(ه|ها|هم|هما|هن|ك|كم|كما|كن|نا|ي)?$")


@lru_cache(maxsize=65536)
def normalise(word: str, lang: str) -> str:
    """Lower case, without accents, diacritics or tatweel; Arabic without its article."""
    word = unicodedata.normalize("NFKD", word.casefold())
    word = "".join(c for c in word if not unicodedata.combining(c))
    if lang.split("-")[0] == "ar":
        word = unicodedata.normalize("NFC", word).translate(ARABIC_FOLD)
        for prefix in ARABIC_PREFIXES:
            if word.startswith(prefix) and len(word) - len(prefix) >= 3:
                word = word[len(prefix):]
                break
    return word


Stem = tuple[str, int, int, tuple[str, ...]]


def stem(word: str, lang: str, longer: int, shorter: int | None = None) -> Stem:
    """(the part a matching word starts with, the shortest and the longest a matching word may be,
    the endings it must have if any). Words of up to SHORT_WORD letters keep all their letters
    ("model" is not "modest")."""
    cut = ENDINGS.get(lang.split("-")[0], DEFAULT_ENDING)
    prefix = word[:max(MIN_STEM, len(word) - cut)] if len(word) > SHORT_WORD else word
    endings = GERUND_ENDINGS if lang.split("-")[0] == "en" and word.endswith(GERUND) else ()
    return prefix, (len(word) - shorter if shorter is not None else 0), len(word) + longer, endings


def _term_words(term: str) -> list[str]:
    """A term's words, without a gloss in brackets: "Cadre d'impact (Digital Impact Framework)"."""
    return WORD.findall(GLOSS.sub(" ", term))


@dataclass(frozen=True)
class Term:
    id: str
    english: str
    translated: str
    path: Path               # the workshop.yaml that defines it
    line: int | None


class Matcher:
    """Finds a term in a text by the stems of its words."""

    def __init__(self, lang: str):
        self.lang = lang

    def words(self, text: str) -> list[str]:
        """The text's distinct words, normalised and sorted (for prefix search); in Arabic also
        without a one-letter proclitic (لاستنتاج is لـ + استنتاج)."""
        found = {normalise(w, self.lang) for w in WORD.findall(text)}
        if self.lang.split("-")[0] == "ar":
            found |= {w[1:] for w in found if w[:1] in ARABIC_PROCLITICS and len(w) > 4}
            found |= {plural.expand(r"\1ه\2") for w in found if (plural := ARABIC_FEMININE_PLURAL.match(w))}
        return sorted(found)

    def stems(self, term: str) -> tuple[Stem, ...]:
        return _translated_stems(self.lang, term)

    def found(self, term: str, words: list[str]) -> bool:
        """The term, or the gloss in its brackets ("Cadre d'impact numérique (Digital Impact Framework)")."""
        return any(stems and all(_has_prefix(words, s) for s in stems)
                   for stems in (self.stems(term), *self._gloss_stems(term)))

    def _gloss_stems(self, term: str) -> tuple[tuple[Stem, ...], ...]:
        return tuple(self.stems(gloss.strip("()")) for gloss in GLOSS.findall(term))


class PhraseMatcher(Matcher):
    """The English side: the term's words in a row, in one clause, each allowed its ending
    ("systems maps")."""

    def words(self, text: str) -> list[str]:
        """The text's words in order (see `spans`), a clause end as an empty word."""
        return [normalise(w, self.lang) if w[0].isalnum() or w[0] == "_" else CLAUSE_END
                for w in TOKEN.findall(text)]

    @staticmethod
    def spans(text: str) -> list[tuple[int, int]]:
        """Where each of `words(text)` is in the text."""
        return [m.span() for m in TOKEN.finditer(text)]

    def stems(self, term: str) -> tuple[Stem, ...]:
        return _english_stems(self.lang, term)


    def where(self, term: str, words: list[str], sorted_words: list[str]) -> int | None:
        """The index of the first word of the term in `words` (and `sorted_words`, their sorted set)."""
        stems = self.stems(term)
        if not stems or not all(_has_prefix(sorted_words, s) for s in stems):
            return None
        for index in range(len(words) - len(stems) + 1):
            if all(_matches(words[index + k], s) for k, s in enumerate(stems)):
                return index
        return None


# The stems are cached by language and term, not on the matchers, so that no cache keeps a matcher alive.
@lru_cache(maxsize=4096)
def _translated_stems(lang: str, term: str) -> tuple[Stem, ...]:
    words = [normalise(w, lang) for w in _term_words(term)]
    long = [w for w in words if len(w) >= 3] or words
    return tuple(stem(w, lang, TRANSLATED_LONGER) for w in long)


@lru_cache(maxsize=4096)
def _english_stems(lang: str, term: str) -> tuple[Stem, ...]:
    # The whole term, a bracketed precision included: "Level (of the framework)" is not any "level".
    return tuple(stem(normalise(w, lang), lang, ENGLISH_LONGER, ENGLISH_SHORTER) for w in WORD.findall(term))


def _matches(word: str, stem_: Stem) -> bool:
    prefix, shortest, longest, endings = stem_
    return (bool(word) and word.startswith(prefix) and shortest <= len(word) <= longest
            and (not endings or word.endswith(endings)))


def _has_prefix(words: list[str], stem_: Stem) -> bool:
    index = bisect_left(words, stem_[0])
    while index < len(words) and words[index].startswith(stem_[0]):
        if _matches(words[index], stem_):
            return True
        index += 1
    return False


@cache
def _matcher(lang: str) -> Matcher:
    return Matcher(lang)


@cache
def _phrase_matcher(lang: str) -> PhraseMatcher:
    return PhraseMatcher(lang)


def termbase(language: Language) -> list[Term]:
    """The key terms of the workshops this language has translated."""
    terms = []
    for workshop in language.workshops:
        if workshop.facts_origin.lang != language.code:
            continue
        for index, term in enumerate(workshop.facts.key_terms):
            terms.append(Term(term.id, "", term.term, workshop.facts_origin.path,
                              workshop.line_of("key_terms", index, "term")))
    return terms


def check_terms(course: Course, problems: Problems, memo: FindingsMemo | None = None) -> None:
    """`memo`: the findings of each workshop and section kept from an earlier check (serve), by
    the key terms agreed (all of the language's and the English ones) and the workshops' names."""
    english = course.source
    english_terms = {t.id: t.term for w in english.workshops for t in w.facts.key_terms}
    english_key = _terms_key(english, memo)
    for language in course.languages:
        if language.code == english.code:
            continue
        terms = [Term(t.id, english_terms[t.id], t.translated, t.path, t.line)
                 for t in termbase(language) if t.id in english_terms]
        own_key = _terms_key(language, memo)
        if memo is None or english_key is None or own_key is None:
            _same_english_two_ways(terms, language, problems)
            agreed = hashlib.sha256(repr(terms).encode("utf-8")).hexdigest() if memo is not None else ""
        else:
            agreed = hashlib.sha256(f"{english_key}\n{own_key}".encode()).hexdigest()
            memo.check(problems, ("same English two ways", language.code, agreed),
                       partial(_same_english_two_ways, terms, language))
        for original, workshop in zip(english.workshops, language.workshops, strict=False):
            remembered(memo, problems, ("terms of a workshop", language.code, language.english_name, agreed),
                       (original, workshop), partial(_check_workshop, terms, language, original, workshop, memo, agreed))


def _terms_key(language: Language, memo: FindingsMemo | None) -> str | None:
    """What stands for the key terms of the language's workshops in a FindingsMemo key: the
    digest of each workshop's, kept by its name (None: a workshop has no name)."""
    if memo is None:
        return None
    names = [memo.name(workshop) for workshop in language.workshops]
    if None in names:
        return None
    return "\n".join(memo.remember(("key terms of", name), partial(_workshop_terms, workshop))
                     for name, workshop in zip(names, language.workshops, strict=True))


def _workshop_terms(workshop: Workshop) -> str:
    """A digest of all that termbase() and the English terms read of a workshop."""
    read = (workshop.facts_origin.lang, str(workshop.facts_origin.path),
            [(t.id, t.term, workshop.line_of("key_terms", index, "term")) for index, t in enumerate(workshop.facts.key_terms)])
    return hashlib.sha256(repr(read).encode("utf-8")).hexdigest()


def _check_workshop(terms: list[Term], language: Language, original: Workshop, workshop: Workshop,
                    memo: FindingsMemo | None, agreed: str, problems: Problems) -> None:
    for path, line_of, theirs, mine in _sections(language, original, workshop):
        if memo is None:
            _check_section(terms, language, path, line_of, theirs, mine, problems)
            continue
        for key, text in mine.items():       # each key is checked on its own: one at a time
            if key in theirs:
                line = line_of(key)         # all that is read of line_of
                memo.check(problems, ("terms", language.code, language.english_name, agreed, path, key, line,
                                      theirs[key], text),
                           partial(_check_section, terms, language, path, {key: line}.get, {key: theirs[key]},
                                   {key: text}))


def _same_english_two_ways(terms: list[Term], language: Language, problems: Problems) -> None:
    first: dict[str, Term] = {}
    source, target = Matcher("en"), Matcher(language.code)
    for term in terms:
        key = " ".join(sorted(source.words(term.english)))
        agreed = first.setdefault(key, term)
        if agreed is not term and target.stems(agreed.translated) != target.stems(term.translated):
            problems.warn(term.path, term.line,
                          f'the key term "{term.english}" is translated "{term.translated}" here but '
                          f'"{agreed.translated}" in {problems.show(agreed.path)}:{agreed.line}',
                          "give one English term one translation in the whole course")


LineOf = Callable[[str], int | None]    # the line a section of a file starts on, by its key


def _sections(language: Language, original: Workshop,
              workshop: Workshop) -> Iterator[tuple[Path, LineOf, dict[str, str], dict[str, str]]]:
    """(file, line of each section, English texts, translated texts) of each translated file."""
    if workshop.facts_origin.lang == language.code:
        texts = facts_sections(workshop)
        yield (workshop.facts_origin.path, workshop.line_of,
               facts_sections(original), texts)
    for part in ("notes", "guide"):
        doc, own = getattr(original, part), getattr(workshop, part)
        if doc is not None and own is not None and own.origin.lang == language.code:
            lines = {s.id: s.line for s in own.sections} | {"intro": own.intro_line}
            yield own.origin.path, lines.get, document_sections(doc), document_sections(own)
    theirs = {e.id: e for e in original.exercises}
    for exercise in workshop.exercises:
        if exercise.origin.lang == language.code and exercise.id in theirs:
            lines = {p.id: p.line for p in exercise.parts} | {"title": 1}
            yield exercise.origin.path, lines.get, exercise_sections(theirs[exercise.id]), exercise_sections(exercise)


def _check_section(terms: list[Term], language: Language, path: Path, line_of: LineOf, theirs: dict[str, str],
                   mine: dict[str, str], problems: Problems) -> None:
    english, translated = _phrase_matcher("en"), _matcher(language.code)
    for key, text in mine.items():
        if key not in theirs:
            continue
        english_text = NOT_WORDS.sub(lambda m: "]" if m.group().startswith("]") else " ", theirs[key])
        english_words, own_words = english.words(english_text), translated.words(NOT_WORDS.sub(" ", text))
        english_sorted = sorted(set(english_words))
        if key in UNCHECKED_FIELDS:
            continue
        # Several workshops may define one term: each English term is looked for once a text.
        where: dict[str, int | None] = {}
        for term in terms:
            if term.path == path and key == "key_terms":
                continue     # the definitions themselves
            if term.english not in where:
                where[term.english] = english.where(term.english, english_words, english_sorted)
            at = where[term.english]
            if at is not None and not translated.found(term.translated, own_words):
                spans = english.spans(english_text)
                said = english_text[spans[at][0]:spans[at + len(english.stems(term.english)) - 1][1]]
                problems.warn(path, line_of(key) or None,
                              f'the English of this section says "{said}" (the key term "{term.english}"), but '
                              f'this translation does not use the agreed {language.english_name} term "{term.translated}"',
                              f'write "{term.translated}" (the key term in {problems.show(term.path)}:{term.line}), '
                              "or change the key term there if another word is agreed")
