"""Key terms as a termbase: a translation uses the agreed term wherever its English uses the key term."""
from __future__ import annotations

from teachforward.build import load_and_check
from teachforward.content.termbase import Matcher, PhraseMatcher, normalise

EXERCISE_EN = "workshops/en/01-basics/exercises/01-rota.md"
EXERCISE_FR = "workshops/fr/01-basics/exercises/01-rota.md"


def term_warnings(tree) -> list:
    course, problems = load_and_check(tree.root)
    assert not problems.errors, problems.sorted()
    return [p for p in problems.sorted() if "agreed" in p.message]


def test_words_are_compared_without_case_accents_or_arabic_variants():
    assert normalise("Données", "fr") == normalise("DONNEES", "fr") == "donnees"
    assert normalise("الإدارة", "ar") == normalise("ادارة", "ar") == normalise("الادارہ".replace("ہ", "ة"), "ar")
    assert normalise("البيانات", "ar") == normalise("بيانات", "ar") == normalise("بيـانات", "ar")
    french = Matcher("fr")
    assert french.found("Donnée", french.words("Les DONNEES enregistrées."))          # plural, capitals, accents
    assert not french.found("Donnée", french.words("Les informations enregistrées."))
    assert french.found("Cadre d'impact numérique (Digital Impact Framework)", french.words("le Digital Impact Framework"))
    arabic = Matcher("ar")
    assert arabic.found("الاستنتاج", arabic.words("مثالًا لاستنتاج يصل إليه النظام"))
    english = PhraseMatcher("en")
    words = english.words("Co-governing systems: data about data.")
    assert english.where("Co-governance", words, sorted(set(words))) == 0
    for text in ("the database", "we infer it", "a modest clause"):       # not the terms data, inference, model clause
        words = english.words(text)
        assert all(english.where(term, words, sorted(set(words))) is None
                   for term in ("Data", "Inference", "Model clause"))


def test_a_translated_section_that_renders_a_key_term_another_way_is_warned(tree):
    # The fixture's French key term for "Data" is "Données"; the English exercise says "data".
    tree.write(EXERCISE_FR, tree.read(EXERCISE_EN)
               .replace("Who decides the rota?", "Qui décide du planning ?")
               .replace("List the data the app needs.", "Dressez la liste des informations dont l'appli a besoin.")
               .replace("Which data could harm a worker?", "Quelles donnees pourraient nuire ?"))
    warnings = term_warnings(tree)
    assert [(p.path.rsplit("/", 1)[-1], p.line) for p in warnings] == [("01-rota.md", 11)]   # the task, not the questions
    warning = warnings[0]
    assert warning.severity == "warning"
    assert 'says "data" (the key term "Data")' in warning.message and '"Données"' in warning.message
    assert "workshops/fr/01-basics/workshop.yaml:" in warning.hint
    # Inflected, without accents or capitals: the agreed term is used, nothing to say.
    tree.replace(EXERCISE_FR, "des informations", "des DONNÉES")
    assert term_warnings(tree) == []


def test_one_english_term_translated_two_ways_is_warned(tree):
    yaml_en = tree.read("workshops/en/01-basics/workshop.yaml").replace(
        "further_reading:",
        "  - id: recorded-data\n    term: Data\n    definition: Recorded information again.\nfurther_reading:")
    tree.write("workshops/en/01-basics/workshop.yaml", yaml_en)
    yaml_fr = tree.read("workshops/fr/01-basics/workshop.yaml").replace(
        "further_reading:", "  - id: recorded-data\n    term: Informations\n    definition: Encore.\nfurther_reading:", 1)
    tree.write("workshops/fr/01-basics/workshop.yaml", yaml_fr)
    course, problems = load_and_check(tree.root)
    twice = [p for p in problems.sorted() if "is translated" in p.message]
    assert len(twice) == 1 and '"Informations" here but "Données"' in twice[0].message


def test_link_targets_and_ids_are_not_words_of_the_text(tree):
    # "what-is-data" in a link target are not the English saying "data".
    tree.write(EXERCISE_FR, tree.read(EXERCISE_EN)
               .replace("List the data the app needs.", "Voir [la fiche](../notes.md#what-is-data).")
               .replace("Which data could harm a worker?", "Quelles données pourraient nuire ?"))
    tree.replace(EXERCISE_EN, "List the data the app needs.", "See [the sheet](../notes.md#what-is-data).")
    assert term_warnings(tree) == []


def test_an_english_term_does_not_match_across_a_sentence_or_clause_end():
    english = PhraseMatcher("en")
    for text in ("We keep the data. Processing it is the council's job.", "the data; processing", "data: process"):
        words = english.words(text)
        assert english.where("Data processor", words, sorted(set(words))) is None, text
    words = english.words("The data processor keeps it.")
    assert english.where("Data processor", words, sorted(set(words))) == 1


def test_an_english_gerund_term_matches_only_gerunds():
    english = PhraseMatcher("en")
    for text, expected in (("workers' profiles", None), ("the profile", None), ("data is repurposed", None),
                           ("profiling at work", 0), ("Profilings", 0), ("repurposing data", 0)):
        words = english.words(text)
        term = "Repurposing" if "repurpos" in text else "Profiling"
        assert english.where(term, words, sorted(set(words))) == expected, text
    words = english.words("co-governing the rota")       # other terms keep their endings
    assert english.where("Co-governance", words, sorted(set(words))) == 0


def test_an_arabic_feminine_plural_is_the_agreed_singular():
    arabic = Matcher("ar")
    for text in ("حددوا محطات الخطة", "والمحطات الثلاث", "راجعوا محطاتكم", "ومحطات التقييم"):
        assert arabic.found("المحطة", arabic.words(text)), text
    assert not arabic.found("المحطة", arabic.words("حددوا مراحل الخطة"))
    assert not arabic.found("المحطة", arabic.words("حضروا المحاضرات"))    # another word's plural


def test_another_word_for_the_agreed_term_is_still_found():
    french = Matcher("fr")
    assert not french.found("Cogouvernance", french.words("la cogestion des systèmes"))
    assert french.found("Cogouvernance", french.words("la cogouvernance des systèmes"))
    english = PhraseMatcher("en")
    words = english.words("Co-governing the data: a union's task.")
    assert english.where("Co-governance", words, sorted(set(words))) == 0
