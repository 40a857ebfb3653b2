"""Every Lesson 07 check accepts the solution, says "not attempted yet" for the stub, and rejects plausible
wrong answers with a hint."""

import numpy as np
import pytest

import augreg
from augreg import text
from augreg.checks import FAILED, NOT_ATTEMPTED
from augreg.checks import lesson07 as check

keras = augreg.import_tensorflow_quietly()


def _preserve(words, rng, drop=0.2, replace=0.5, keep_negations=True, vetted=True, random_choice=True):
    new = []
    for word in words:
        if (not keep_negations or word not in text.NEGATIONS) and rng.random() < drop:
            continue
        sign = np.sign(text.valence(word))
        options = [s for s in text.synonyms(word) if not vetted or np.sign(text.valence(s)) == sign]
        if vetted == "not opposite":
            options = [s for s in text.synonyms(word) if np.sign(text.valence(s)) != -sign]
        if options and rng.random() < replace:
            word = options[rng.integers(len(options))] if random_choice else options[0]
        new.append(word)
    return new or [words[0]]


def test_label_preserving():
    assert check.label_preserving(...).status == NOT_ATTEMPTED
    assert check.label_preserving(lambda words, rng: ...).status == NOT_ATTEMPTED
    assert check.label_preserving(_preserve).passed
    wrong = {
        "negation was deleted": lambda w, r: _preserve(w, r, keep_negations=False),
        "other sign": lambda w, r: _preserve(w, r, vetted=False),
        "neutral": lambda w, r: _preserve(w, r, vetted="not opposite"),  # near miss: only flips refused
        "no word was ever deleted": lambda w, r: _preserve(w, r, drop=0.0),
        "no word was ever replaced": lambda w, r: _preserve(w, r, replace=0.0),
        "probability is 0.2": lambda w, r: _preserve(w, r, drop=0.5),
        "probability is 0.5": lambda w, r: _preserve(w, r, replace=1.0),
        "at random": lambda w, r: _preserve(w, r, random_choice=False),
        "returned no words": lambda w, r: [],
        "list of words": lambda w, r: " ".join(w),
        "neither a word": lambda w, r: w + ["extra"],
        "raised": lambda w, r: w[100],
    }
    for words, answer in wrong.items():
        result = check.label_preserving(answer)
        assert result.status == FAILED and words in result.message, (words, result)


def _results(gain_held, cost_test, n=5, seed=0):
    rng = np.random.default_rng(seed)
    base_test = 0.95 + rng.uniform(-0.02, 0.02, n)
    base_held = 0.5 + rng.uniform(-0.05, 0.05, n)
    return {
        "none": {"test": base_test, "held-out": base_held},
        "mine": {"test": base_test - cost_test + rng.uniform(-0.005, 0.005, n),
                 "held-out": base_held + gain_held + rng.uniform(-0.01, 0.01, n)},
    }


def test_robust_wordings():
    candidates = {"mine": lambda w, r: w, "other": lambda w, r: w}
    validation = {"none": [0.9] * 5, "mine": [0.95] * 5, "other": [0.94] * 5}
    good = _results(0.40, 0.0)
    assert check.robust_wordings(..., ..., validation, good).status == NOT_ATTEMPTED
    assert check.robust_wordings(candidates, "mine", validation, good).passed
    wrong = [
        # chose on the test reviews, not validation
        ((candidates, "other", validation, {**good, "other": good["mine"]}), "better validation accuracy"),
        # a regularizer-like candidate: no gain on unseen words
        ((candidates, "mine", validation, _results(0.01, 0.0)), "must lie above +15"),
        # near miss: a gain, but just short of the bound
        ((candidates, "mine", validation, _results(0.13, 0.0)), "must lie above +15"),
        # label-breaking: gains on held-out words, loses on the training wordings
        ((candidates, "mine", validation, _results(0.40, 0.15)), "must lie below +10"),
        (({"a": 1, "b": 2, "c": 3}, "a", validation, good), "tuning budget"),
        ((candidates, "nothing", validation, good), "one of your candidates"),
        # leaks the test set's words into training
        (({"mine": lambda w, r: w + ["splendid"], "other": lambda w, r: w}, "mine", validation, good),
         "held-out test set"),
    ]
    for args, words in wrong:
        result = check.robust_wordings(*args)
        assert result.status == FAILED and words in result.message, (words, result)


@pytest.fixture(scope="module")
def tiny_models():
    """Two untrained arms on five seeds, and the seeds' splits (the check only evaluates them)."""
    seeds = list(range(5))
    splits = {s: text.load_reviews_split(n_train=10, n_val=10, n_test=60, split_seed=s) for s in seeds}
    size = len(text.vocabulary()) + 2
    models = {}
    for arm in check.ARMS:
        for s in seeds:
            keras.utils.set_random_seed(s * 10 + len(arm))
            models[arm, s] = keras.Sequential([
                keras.Input(shape=(20,), dtype="int64"), keras.layers.Embedding(size, 4),
                keras.layers.GlobalAveragePooling1D(), keras.layers.Dense(2)])
    return models, splits, seeds


def _accs(models, splits, seeds, part="test"):
    vectorize = keras.layers.TextVectorization(vocabulary=text.vocabulary(), output_sequence_length=20)
    out = {}
    for arm in check.ARMS:
        accs = []
        for s in seeds:
            x, y = getattr(splits[s], f"x_{part}"), getattr(splits[s], f"y_{part}")
            logits = keras.ops.convert_to_numpy(models[arm, s](keras.ops.convert_to_numpy(vectorize(x))))
            accs.append(float(np.mean(logits.argmax(axis=1) == y)))
        out[arm] = accs
    return out


def test_which_dropout(tiny_models):
    models, splits, seeds = tiny_models
    accs = _accs(models, splits, seeds)
    diff = augreg.paired_difference(accs["word dropout"], accs["embedding dropout"])
    verdict = {"higher": "word dropout", "lower": "embedding dropout"}.get(diff.verdict(), "neither")
    assert check.which_dropout(..., diff, verdict, models, splits).status == NOT_ATTEMPTED
    assert check.which_dropout("neither", diff, verdict, models, splits).passed
    other = [v for v in check.VERDICTS if v != verdict][0]
    val = _accs(models, splits, seeds, part="val")
    wrong = [
        (("neither", diff, other, models, splits), "whole interval"),
        (("neither", augreg.paired_difference(val["word dropout"], val["embedding dropout"]), verdict,
          models, splits), "not the two models' test accuracies"),
        (("neither", augreg.paired_difference(accs["embedding dropout"], accs["word dropout"]), verdict,
          models, splits), "wrong way round"),
        (("maybe", diff, verdict, models, splits), "prediction should be one of"),
        (("neither", (0.0, -1.0, 1.0), verdict, models, splits), "Interval"),
    ]
    for args, words in wrong:
        result = check.which_dropout(*args)
        assert result.status == FAILED and words in result.message, (words, result)
