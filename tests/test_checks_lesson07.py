"""The checks of exercise set 07: each accepts the solution and a second right way, says "not attempted yet"
for the stub, rejects typed-in evidence and the near misses issue 23 lists (and more), never shows a sealed
test number, and hides its truths from the learner's namespace."""

import random

import numpy as np
import pytest

import augreg
import augreg.checks.lesson07 as module
from augreg import text
from augreg.checks import testing
from augreg.checks.lesson07 import check
from tests.conftest import ROOT

keras = augreg.import_tensorflow_quietly()


@pytest.fixture(autouse=True)
def _fresh_records():
    check._set._reset()
    yield


def test_the_set_hides_its_truths():
    testing.assert_hides_truths(
        check,
        module,
        truths=("_set", "_PROBES", "_vetted", "_adjectives", "_sealed_reviews", "_BEYOND_BOUND", "_train"),
    )


def test_the_set_has_a_warm_up_a_core_exercise_and_an_open_task():
    levels = [exercise["level"] for _, exercise in sorted(check._set._exercises.items())]
    assert levels == ["warm-up", "core", "open"]


# --- Exercise 1 -------------------------------------------------------------------------------------------


class _DropsAlsoAtInference(keras.layers.Layer):
    """A near miss: drops whole words, also when the model predicts."""

    def __init__(self, rate):
        super().__init__()
        self.inner = keras.layers.Dropout(rate, noise_shape=(None, 20, 1))

    def call(self, x, training=False):
        return self.inner(x, training=True)


def test_drop_whole_words_accepts_right_answers():
    testing.assert_not_attempted(check.drop_whole_words, ...)
    testing.assert_not_attempted(check.drop_whole_words, lambda rate: ...)
    testing.assert_passes(check.drop_whole_words, lambda rate: keras.layers.Dropout(rate, noise_shape=(None, 20, 1)))
    # a second right way: the word axis left open too
    testing.assert_passes(check.drop_whole_words, lambda rate: keras.layers.Dropout(rate, noise_shape=(None, None, 1)))


def test_drop_whole_words_rejects_the_other_dropouts_and_their_near_misses():
    wrong = {
        "whole channels": lambda rate: keras.layers.SpatialDropout1D(rate),
        "single numbers": lambda rate: keras.layers.Dropout(rate),
        # issue 23's near miss of the old set: "embedding dropout" at rate 0.0 (it drops nothing)
        "dropped nothing": lambda rate: keras.layers.Dropout(0.0, noise_shape=(None, 20, 1)),
        "does it use its argument": lambda rate: keras.layers.Dropout(0.35, noise_shape=(None, 20, 1)),
        "at inference": lambda rate: _DropsAlsoAtInference(rate),
        "return a Keras layer": lambda rate: "Dropout",
        "changed the shape": lambda rate: keras.layers.Flatten(),
        "your layer raised": lambda rate: keras.layers.Dropout(rate, noise_shape=(None, 7, 1)),
    }
    for words, answer in wrong.items():
        testing.assert_rejects(check.drop_whole_words, answer, says=words)
    testing.assert_rejects(check.drop_whole_words, keras.layers.Dropout(0.3), says="raised")  # a layer, not a function
    testing.assert_rejects_typed_evidence(check.drop_whole_words)


# --- Exercise 2 -------------------------------------------------------------------------------------------


def _preserve(words, rng, drop=0.2, replace=0.5, keep_negations=True, vetted=True, random_choice=True, draw=None):
    draw = draw or rng.random
    new = []
    for word in words:
        if (not keep_negations or word not in text.NEGATIONS) and draw() < drop:
            continue
        sign = np.sign(text.valence(word))
        options = [s for s in text.synonyms(word) if not vetted or np.sign(text.valence(s)) == sign]
        if vetted == "not opposite":
            options = [s for s in text.synonyms(word) if np.sign(text.valence(s)) != -sign]
        if vetted == "any valence":
            options = [s for s in text.synonyms(word) if text.valence(s) != 0]
        if options and draw() < replace:
            word = options[int(draw() * len(options))] if random_choice else options[0]
        new.append(word)
    return new or [words[0]]


def test_label_preserving_accepts_right_answers():
    testing.assert_not_attempted(check.label_preserving, ...)
    testing.assert_not_attempted(check.label_preserving, lambda words, rng: ...)
    testing.assert_passes(check.label_preserving, _preserve)

    # a second right way: all the draws first, one array per review
    def vectorized(words, rng):
        deleted = rng.random(len(words)) < 0.2
        swapped = rng.random(len(words)) < 0.5
        new = []
        for word, gone, swap in zip(words, deleted, swapped):
            if gone and word not in text.NEGATIONS:
                continue
            sign = np.sign(text.valence(word))
            options = [s for s in text.synonyms(word) if np.sign(text.valence(s)) == sign]
            new.append(options[rng.integers(len(options))] if options and swap else word)
        return new or [words[-1]]

    testing.assert_passes(check.label_preserving, vectorized)


def test_label_preserving_rejects_the_near_misses():
    wrong = {
        "negation was deleted": lambda w, r: _preserve(w, r, keep_negations=False),
        "VADER": lambda w, r: _preserve(w, r, vetted=False),  # no filter: a flip or a blur comes first
        "other sign": lambda w, r: _preserve(w, r, vetted="any valence"),  # only blurs refused
        "neutral": lambda w, r: _preserve(w, r, vetted="not opposite"),  # only flips refused
        "no word was ever deleted": lambda w, r: _preserve(w, r, drop=0.0),
        "no word was ever replaced": lambda w, r: _preserve(w, r, replace=0.0),
        "the probability is 0.2": lambda w, r: _preserve(w, r, drop=0.5),
        "the probability is 0.5": lambda w, r: _preserve(w, r, replace=0.9),
        "always picks the same synonym": lambda w, r: _preserve(w, r, random_choice=False),
        # issue 23's near miss: np.random (or Python's random) instead of the generator given
        "two generators with the same seed": lambda w, r: _preserve(w, r, draw=np.random.random),
        "the same seed gave different words": lambda w, r: _preserve(w, r, draw=random.random),
        "returned no words": lambda w, r: [],
        "a list of words": lambda w, r: " ".join(w),
        "neither a word of the review": lambda w, r: w + ["splendid"],
    }
    for words, answer in wrong.items():
        testing.assert_rejects(check.label_preserving, answer, says=words)
    testing.assert_rejects_typed_evidence(check.label_preserving)


def test_label_preserving_rejects_a_generator_of_its_own():
    own = np.random.default_rng(0)  # created once: the calls draw from it, not from the rng given
    testing.assert_rejects(check.label_preserving, lambda w, r: _preserve(w, own), says="same seed")


# --- Exercise 3 -------------------------------------------------------------------------------------------


def _lexicon(p, same_sign=True):
    adjectives = module._adjectives()
    positive = [w for w in adjectives if text.valence(w) > 0]
    negative = [w for w in adjectives if text.valence(w) < 0]

    def augment(words, rng):
        new = []
        for word in words:
            v = text.valence(word)
            if v != 0 and word not in text.NEGATIONS and rng.random() < p:
                pool = (positive if v > 0 else negative) if same_sign else adjectives
                word = pool[rng.integers(len(pool))]
            new.append(word)
        return new

    return augment


def test_the_notebooks_adjectives_are_the_checks():
    """The solution notebook builds its vocabulary with the same rule as the check."""
    import re

    taken = set(text.vocabulary())
    notebook = sorted(
        w
        for w, v in text.load_sentiment_lexicon().items()
        if re.fullmatch("[a-z]+", w)
        and w.endswith(("ful", "ous", "ive", "able", "ible"))
        and w not in taken
        and abs(v) >= 1
    )
    assert tuple(notebook) == module._adjectives()
    solution = (ROOT / "solutions" / "07-text.md").read_text(encoding="utf-8")
    assert 'endings = ("ful", "ous", "ive", "able", "ible")' in solution and "abs(v) >= 1" in solution


def test_beyond_thesaurus_rejects_label_breaking_and_typed_evidence_without_training():
    testing.assert_not_attempted(check.beyond_thesaurus, ...)
    testing.assert_not_attempted(check.beyond_thesaurus, lambda words, rng: ...)
    testing.assert_rejects(check.beyond_thesaurus, _lexicon(0.5, same_sign=False), says="the other sign")
    testing.assert_rejects(check.beyond_thesaurus, lambda w, r: 1 / 0, says="raised ZeroDivisionError")
    testing.assert_rejects_typed_evidence(check.beyond_thesaurus)


@pytest.mark.slow
def test_beyond_thesaurus_accepts_same_sign_lexicon_replacement():
    result = testing.assert_passes(check.beyond_thesaurus, _lexicon(0.5))
    assert "on the sealed test reviews" in result.message
    testing.assert_passes(check.beyond_thesaurus, _lexicon(0.3))  # a second right way, a lower rate


def _sealed_test(augment, seed=0):
    model, _ = module._train(augment, *module._sealed_reviews(seed)[:2], seed)
    return module._accuracy(model, *module._sealed_reviews(seed)[4:])


@pytest.mark.slow
def test_beyond_thesaurus_rejects_doing_nothing_and_the_thesaurus_without_showing_the_test_number():
    def vetted_synonyms(words, rng):
        new = []
        for word in words:
            sign = np.sign(text.valence(word))
            options = [s for s in text.synonyms(word) if np.sign(text.valence(s)) == sign]
            if options and rng.random() < 0.5:
                word = options[rng.integers(len(options))]
            new.append(word)
        return new

    for answer in (lambda w, r: list(w), vetted_synonyms):
        result = testing.assert_rejects(
            check.beyond_thesaurus, answer, says="keeps its random vector", sealed=(_sealed_test(answer),)
        )
        assert "validation reviews" in result.message
