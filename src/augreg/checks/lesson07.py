"""Checks of exercise set 07 (text augmentation): ``from augreg.checks.lesson07 import check``.

Everything but ``check`` is private and hidden from ``dir``.

* Exercise 1 (warm-up) grades ``drop_whole_words(rate)``, a function that returns a Keras layer. The check
  builds the layer at two rates of its own, calls it on embedded reviews of its own (reviews by words by
  channels) in training and in inference mode, and reads off what it zeroed: whole word vectors (not whole
  channels, as ``SpatialDropout1D`` does, and not single numbers, as plain ``Dropout`` does), at the rate
  asked, the kept vectors scaled by ``1 / (1 - rate)``, nothing at inference.
* Exercise 2 grades ``preserve(words, rng)`` on probe reviews, thousands of times: no negation lost, only
  same-sign synonyms, both rates right, and every random draw from the generator it is given (two
  generators with the same seed must give the same words, whatever NumPy's and Python's global generators
  hold; generators with different seeds must not always give the same words).
* Exercise 3 (open) grades an augmentation ``augment(words, rng)`` by training the lesson's model with it
  on reviews of the check's own (a hidden split seed) and measuring it on sealed test reviews whose
  sentiment words are lexicon adjectives that no training review contains and the thesaurus does not list,
  drawn anew for every seed. The validation accuracy (validation reviews with such adjectives, another
  draw) is shown on every attempt, the test accuracy only with a pass. See :data:`_BEYOND_BOUND`.
"""

from __future__ import annotations

import functools
import random

import numpy as np

from .. import text
from . import ExerciseSet, Hint
from .evidence import call_learner, hidden_seed, record_pilot, require_function

_set = ExerciseSet("07", "07-text")
check = _set.learner_view
__all__ = ["check"]


def __dir__():
    return ["check"]


# --- Exercise 1 ------------------------------------------------------------------------------------------

#: The probe: embedded reviews of ones, shaped (reviews, words, channels); words as in the lesson.
_PROBE_SHAPE = (256, 20, 16)
#: The rates the check builds the layer at (the learner's function must follow its argument).
_PROBE_RATES = (0.2, 0.5)


def _as_layer(made, rate):
    import keras

    if not isinstance(made, keras.layers.Layer):
        raise Hint(
            f"drop_whole_words({rate}) returned {type(made).__name__}: return a Keras layer (one object that "
            "the model stacks after its Embedding)."
        )
    return made


def _run_layer(layer, x, training):
    import keras

    try:
        out = layer(x, training=training)
    except Exception as exc:  # the learner's layer does not run on the probe
        raise Hint(
            f"your layer raised {type(exc).__name__} on embedded reviews shaped (reviews, words, channels): {exc}"
        ) from None
    out = keras.ops.convert_to_numpy(out)
    if out.shape != x.shape:
        raise Hint(f"your layer changed the shape of the embedded reviews, from {x.shape} to {out.shape}.")
    return out


@_set.exercise(
    1,
    "drop words, not channels",
    level="warm-up",
    section="sec-07-dropouts",
    hints=(
        "An embedded review has one axis for the words and one for the channels of each word vector: along "
        "which of them should a single keep-or-drop decision be shared, so that a whole word goes at once?",
        "Keras's `Dropout` takes a `noise_shape`: one entry per axis of its input, `1` where one draw is "
        "shared along that axis and `None` where every position draws its own. `SpatialDropout1D` shares "
        "its draws along the words, which drops channels.",
        "`keras.layers.Dropout(rate, noise_shape=(None, LENGTH, 1))`: one draw per review and word, shared "
        "by the channels of the word's vector.",
    ),
)
def _drop_whole_words(function):
    require_function(function)
    x = np.ones(_PROBE_SHAPE, dtype="float32")
    for rate in _PROBE_RATES:
        layer = _as_layer(call_learner(function, rate), rate)
        if not np.array_equal(_run_layer(layer, x, training=False), x):
            raise Hint(
                "your layer changes the embeddings at inference (training=False): dropout only acts in training."
            )
        out = _run_layer(layer, x, training=True)
        zero = out == 0
        if not zero.any():
            raise Hint(
                f"with rate {rate} your layer dropped nothing in training: is its rate the argument, and is "
                "it above zero?"
            )
        whole_words = np.all(zero == zero[:, :, :1], axis=2).all()
        whole_channels = np.all(zero == zero[:, :1, :], axis=1).all()
        if not whole_words:
            if whole_channels:
                raise Hint(
                    "your layer zeroes whole channels, the same ones for every word of a review (what "
                    "SpatialDropout1D does): a dropped word must lose its whole vector, and the other words "
                    "keep theirs."
                )
            raise Hint(
                "your layer zeroes single numbers here and there, so every word keeps part of its vector "
                "(what a plain Dropout does): a word must go whole or stay whole."
            )
        share = float(zero[:, :, 0].mean())
        if abs(share - rate) > 0.04:
            raise Hint(f"asked for rate {rate}, your layer dropped {share:.0%} of the words: does it use its argument?")
        kept = out[~zero]
        if not np.allclose(kept, 1 / (1 - rate), rtol=1e-4):
            raise Hint(
                f"the kept word vectors are multiplied by {float(np.median(kept)):.3g}; Keras's dropout scales "
                f"what it keeps by 1 / (1 - rate), {1 / (1 - rate):.3g} at rate {rate}, so that nothing changes at "
                "inference."
            )
    return "your layer drops whole word vectors at the rate asked, scales the kept ones, and does nothing at inference."


# --- Exercise 2 ------------------------------------------------------------------------------------------

#: Reviews the label-preserving augmentation is run on: negations, sentiment words with synonyms of both
#: signs ("awful" -> "awesome"), and words without valence ("great" -> "big").
_PROBES = (
    "the plot was not bad and the acting was great",
    "the film was never awful",
    "what a wonderful story",
    "i found the music really dull and the ending was not excellent",
    "honestly the cast is not terrible at all",
)
_RUNS = 400
_DROP_RATE, _REPLACE_RATE = 0.2, 0.5


@functools.cache
def _vetted(word: str) -> frozenset[str]:
    sign = np.sign(text.valence(word))
    return frozenset(s for s in text.synonyms(word) if np.sign(text.valence(s)) == sign)


def _align(original: list[str], new: list[str]):
    """Match ``new`` to ``original`` in order: each new word is the original word or a synonym of it.

    Returns ``(pairs, problem)``: pairs ``(old, new)`` for the kept words, or a problem word.
    """
    pairs, i = [], 0
    for word in new:
        while i < len(original) and word != original[i] and word not in text.synonyms(original[i]):
            i += 1
        if i == len(original):
            return pairs, word
        pairs.append((original[i], word))
        i += 1
    return pairs, None


def _as_words(new) -> list[str]:
    if isinstance(new, str) or not isinstance(new, (list, tuple)):
        raise Hint(f"return a list of words, got {type(new).__name__}")
    new = list(new)
    if not new:
        raise Hint("your function returned no words: if every word was deleted, keep one.")
    if not all(isinstance(w, str) for w in new):
        raise Hint("return a list of words (strings).")
    return new


def _same_generator_same_words(function, seed) -> None:
    """Two generators with one seed give the same words, whatever the global generators hold."""
    for k in range(30):
        review = _PROBES[k % len(_PROBES)].split()
        draws = []
        for scramble in (1, 2):
            np.random.seed(hidden_seed(seed, f"07.2/{k}/{scramble}") % 2**32)
            random.seed(scramble * 7919 + k)
            rng = np.random.default_rng([seed, k])
            draws.append(_as_words(call_learner(function, list(review), rng)))
        if draws[0] != draws[1]:
            raise Hint(
                "two generators with the same seed gave different words: take every random number from "
                "`rng`, the generator your function is given, not from `np.random` or `random` (their "
                "state is not the seeded run's, so the augmentation cannot be replayed)."
            )
    varied = {
        tuple(_as_words(call_learner(function, _PROBES[0].split(), np.random.default_rng([seed, 99, j]))))
        for j in range(20)
    }
    if len(varied) == 1:
        raise Hint(
            "generators with twenty different seeds all gave the same words: does your function draw its "
            "random numbers from `rng`?"
        )


@_set.exercise(
    2,
    "an augmentation that keeps the label",
    level="core",
    section="sec-07-label-breaking",
    hints=(
        "Which words, when deleted, turn a review into its opposite, and which synonyms in the thesaurus "
        "carry another sentiment than the word they replace, or none?",
        "Skip the negations when you delete. Before replacing a word, keep only the synonyms whose VADER "
        "valence has the same sign as the word's own (a sign of zero is not the same sign). Draw every "
        "random number from `rng`.",
        "For each word: if it is no negation and `rng.random() < 0.2`, leave it out; otherwise collect "
        "`[s for s in text.synonyms(word) if np.sign(text.valence(s)) == np.sign(text.valence(word))]` "
        "and, if there are any and `rng.random() < 0.5`, replace the word by one of them picked with "
        "`rng.integers`. Return the kept words, or one word if none is left.",
    ),
)
def _label_preserving(function, seed):
    require_function(function)
    rng = np.random.default_rng(hidden_seed(seed, "07.2"))
    kept = deleted = candidates = replaced = 0
    used: dict[str, set] = {}
    for _ in range(_RUNS):
        for review in _PROBES:
            words = review.split()
            new = _as_words(call_learner(function, list(words), rng))
            if sum(w in text.NEGATIONS for w in new) < sum(w in text.NEGATIONS for w in words):
                raise Hint(
                    f"a negation was deleted ({review!r} -> {' '.join(new)!r}): without its 'not' a review "
                    "means the opposite of its label."
                )
            pairs, problem = _align(words, new)
            if problem is not None:
                raise Hint(
                    f"{problem!r} in {' '.join(new)!r} is neither a word of the review nor a synonym from "
                    "text.synonyms; keep the words in their order."
                )
            for old, word in pairs:
                if word != old and word not in _vetted(old):
                    if text.valence(word) * text.valence(old) < 0:
                        raise Hint(
                            f"{old!r} became {word!r}, whose VADER valence has the other sign: the review "
                            "now says the opposite of its label."
                        )
                    raise Hint(
                        f"{old!r} became {word!r}, which VADER finds neutral (or {old!r} has no valence): the "
                        "label is blurred. Keep only synonyms whose valence has the sign of the word's own."
                    )
            deleted += len(words) - len(new)
            kept += sum(w not in text.NEGATIONS for w in words)
            for old, word in pairs:
                if _vetted(old):
                    candidates += 1
                    replaced += word != old
                    used.setdefault(old, set()).add(word)
    drop = deleted / kept
    if drop < 0.01:
        raise Hint("no word was ever deleted: the task deletes each word but the negations with probability 0.2.")
    if not 0.16 < drop < 0.24:
        raise Hint(f"you deleted {drop:.0%} of the words that may be deleted; the probability is 0.2.")
    rate = replaced / max(candidates, 1)
    if rate < 0.01:
        raise Hint(
            "no word was ever replaced: the task replaces each kept word that has a same-sign synonym with "
            "probability 0.5."
        )
    if not 0.44 < rate < 0.56:
        raise Hint(f"you replaced {rate:.0%} of the kept words that have a same-sign synonym; the probability is 0.5.")
    if len(used.get("wonderful", ())) < 4:
        raise Hint("your function always picks the same synonym: pick it at random among the allowed ones.")
    _same_generator_same_words(function, seed)
    return (
        f"no negation lost, only same-sign synonyms, {drop:.0%} of the words deleted and {rate:.0%} of the "
        "replaceable ones replaced, every draw from the generator given."
    )


# --- Exercise 3 ------------------------------------------------------------------------------------------

#: The lesson's model and budget (Lesson 07, sec-07-model): 24 passes over 200 reviews, 150 steps of 32.
_LENGTH, _COPIES, _STEPS = 20, 24, 150
#: Exercise 3's bound: the accuracy the model trained with the learner's augmentation must reach on the
#: check's sealed test reviews (held-out reviews whose sentiment words are lexicon adjectives).
#: Pilots on base seeds 100-103 (never run by the suite), one model each, on this check's sealed draw:
#: * the solution (same-sign lexicon adjectives at the rate its validation reviews with adjectives chose;
#:   ``python -m augreg_tools.exercises pilot 07 --bases 100 101 102 103``): test 0.975 / 0.950 / 0.970 /
#:   0.943 (validation 0.960 / 0.933 / 0.967 / 0.940); every adjective occurs in its training reviews;
#: * doing nothing (the words unchanged, the check's own ``_train`` and measure, as
#:   ``augreg.checks.testing.grade(check.beyond_thesaurus, lambda w, r: list(w), seed=base)`` runs them):
#:   test 0.540 / 0.520 / 0.503 / 0.540; the thesaurus (vetted synonyms at 0.5): 0.580 / 0.495 / 0.503 /
#:   0.485. Neither brings a single adjective into the training reviews.
#: The bound lies between the two: 22 points above the best "do nothing" or thesaurus pilot, 14 points
#: below the solution's worst.
_BEYOND_BOUND = 0.80
#: The share of replaced sentiment words whose sign may change before the check calls it label breaking.
_FLIP_TOLERANCE = 0.05


@functools.lru_cache(maxsize=1)
def _adjectives() -> tuple[str, ...]:
    """The lexicon adjectives of the notebook's vocabulary: VADER words of letters only, with an adjective
    ending, a valence of at least 1 either way, in no list of the course (the notebook computes the same)."""
    return tuple(w for w in text.lexicon_adjectives() if abs(text.valence(w)) >= 1)


@functools.lru_cache(maxsize=1)
def _vectorize():
    import keras

    return keras.layers.TextVectorization(
        vocabulary=text.vocabulary() + list(_adjectives()), output_sequence_length=_LENGTH
    )


def _ids(texts) -> np.ndarray:
    import keras

    return keras.ops.convert_to_numpy(_vectorize()(list(texts)))


def _with_adjectives(reviews, words, rng) -> list[str]:
    """``reviews`` with every word of ``words`` replaced by a random lexicon adjective of its sign."""
    positive = [w for w in _adjectives() if text.valence(w) > 0]
    negative = [w for w in _adjectives() if text.valence(w) < 0]
    out = []
    for review in reviews:
        new = []
        for word in review.split():
            if word in words:
                pool = positive if text.valence(word) > 0 else negative
                word = pool[rng.integers(len(pool))]
            new.append(word)
        out.append(" ".join(new))
    return out


@functools.lru_cache(maxsize=4)
def _sealed_reviews(seed: int):
    """The check's reviews: training reviews as in the lesson, validation and test with adjectives."""
    split_seed = hidden_seed(seed, "07.3")
    draw = text.load_reviews_split(split_seed=split_seed)
    rng = np.random.default_rng(split_seed)
    train_words = {w for pool in text.TRAIN_WORDS.values() for w in pool}
    heldout_words = {w for pool in text.HELDOUT_WORDS.values() for w in pool}
    x_val = _with_adjectives(draw.x_val, train_words, rng)
    x_test = _with_adjectives(draw.x_heldout, heldout_words, rng)
    return draw.x_train, draw.y_train, _ids(x_val), draw.y_val, _ids(x_test), draw.y_heldout


def _flip_share(augment, seed) -> tuple[float, int]:
    """Of the sentiment words the augmentation replaces in place on probe reviews, the share whose valence
    changes sign; and how many were replaced."""
    rng = np.random.default_rng([seed, 73])
    flipped = replaced = 0
    for _ in range(40):
        for review in _PROBES:
            words = review.split()
            new = _as_words(call_learner(augment, list(words), rng, what="your augmentation"))
            if len(new) != len(words):
                continue
            for old, word in zip(words, new):
                if word != old and text.valence(old) != 0:
                    replaced += 1
                    flipped += text.valence(word) * text.valence(old) <= 0
    return (flipped / replaced if replaced else 0.0), replaced


def _train(augment, x_train, y_train, seed):
    import keras

    from ..parallel import fit_in_parallel

    reviews = call_learner(
        lambda: text.augment_texts(x_train, augment, copies=_COPIES, seed=seed), what="your augmentation"
    )
    keras.utils.set_random_seed(seed)
    model = keras.Sequential(
        [
            keras.Input(shape=(_LENGTH,), dtype="int64"),
            keras.layers.Embedding(_vectorize().vocabulary_size(), 16),
            keras.layers.Conv1D(32, 2, activation="relu"),
            keras.layers.GlobalMaxPooling1D(),
            keras.layers.Dense(2),
        ]
    )
    fit_in_parallel(
        [model],
        [_ids(reviews)],
        [np.tile(y_train, _COPIES)],
        seeds=[seed],
        steps=_STEPS,
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        optimizer=keras.optimizers.Adam(1e-2),
    )
    return model, reviews


def _accuracy(model, ids, labels) -> float:
    import keras

    logits = keras.ops.convert_to_numpy(model(ids, training=False))
    return float(np.mean(logits.argmax(axis=1) == labels))


@_set.exercise(
    3,
    "beyond the thesaurus",
    level="open",
    section="sec-07-unseen",
    hints=(
        "The check's test reviews use sentiment words that the thesaurus does not list: which resource at "
        "hand does list them, and what must a replacement keep so that the label stays right?",
        "The sentiment lexicon rates every adjective of the model's vocabulary. Replace sentiment words by "
        "vocabulary words whose valence has the same sign, often enough that each new word appears in "
        "training; the lesson's validation reviews cannot show whether that helps, so build validation "
        "reviews whose sentiment words are such adjectives, and choose the rate on them.",
        "For each word with a valence, with probability `p`, pick a random word of `ADJECTIVES` whose "
        "`text.valence` has the same sign; leave negations and other words alone. Try two rates, say 0.3 "
        "and 0.7, on validation reviews whose training sentiment words you swapped for random adjectives "
        "of the same sign.",
    ),
)
def _beyond_thesaurus(augment, seed):
    require_function(augment, "your augmentation (the function itself)")
    x_train, y_train, val_ids, y_val, test_ids, y_test = _sealed_reviews(seed)
    flips, replaced = _flip_share(augment, seed)
    if replaced and flips > _FLIP_TOLERANCE:
        raise Hint(
            f"{flips:.0%} of the sentiment words your augmentation replaces become words whose valence has "
            "the other sign, or none: those training reviews now carry the wrong label."
        )
    model, reviews = _train(augment, x_train, y_train, seed)
    validation = _accuracy(model, val_ids, y_val)
    test = _accuracy(model, test_ids, y_test)
    seen = {w for review in reviews for w in review.split()}
    coverage = len(seen & set(_adjectives())) / len(_adjectives())
    record_pilot("07.3", seed, test=test, validation=validation, coverage=coverage)
    task = "the lesson's model, trained by the check with your augmentation on reviews of its own"
    if test < _BEYOND_BOUND and coverage < 0.5:
        raise Hint(
            f"{task}, scores {validation:.1%} on its validation reviews: your augmentation brings only "
            f"{coverage:.0%} of the vocabulary's lexicon adjectives into the training reviews, and a word "
            "that never appears in training keeps its random vector."
        )
    return _sealed_verdict(test, validation, task)


def _sealed_verdict(test: float, validation: float, task: str) -> str:
    """``evidence.sealed_verdict`` worded for reviews: the test number only with a pass."""
    if test >= _BEYOND_BOUND:
        return (
            f"{task}: {test:.1%} on the sealed test reviews (the bound is {_BEYOND_BOUND:.0%}; "
            f"validation {validation:.1%})."
        )
    raise Hint(
        f"{task}: {validation:.1%} on the check's validation reviews, and the sealed test reviews are below "
        f"the bound of {_BEYOND_BOUND:.0%} (their number is shown only with a pass). Improve it on your own "
        "validation reviews, not by retrying the check."
    )


# --- Check yourself: Lesson 07's questions -----------------------------------------------------------------

_set.question(
    1,
    "A model is tested on two sets of unseen sentiment words: words that WordNet lists as synonyms of its "
    "training words, and words it does not list. Which gap does synonym replacement close?",
    choices=(
        "Both: synonym replacement makes the model less sensitive to wording in general.",
        "Neither: the model has seen none of these words.",
        "Only the gap on the words WordNet lists, because only those appear in the augmented reviews.",
        "Only the gap on the words WordNet does not list, because the model then learns to generalize.",
    ),
    answer="c",
    explanation="Synonym replacement writes the thesaurus's words into the training reviews, so their "
    "vectors get trained; a word the thesaurus does not list never appears, in any arm, and keeps its "
    "random vector. The held-out result is the best case, the outside one the usual case "
    "({ref}`sec-07-wordings`).",
    section="sec-07-wordings",
)
_set.question(
    2,
    "Why can dropout on the embeddings or an L2 penalty on the embedding table not make the model understand "
    '"splendid" if no training review contains it?',
    choices=(
        "They can, given a high enough rate or strength.",
        "Its vector never gets a gradient from the data: they change how the model uses what it sees, not "
        "what it sees.",
        "Because dropout is switched off at inference.",
        "Because L2 deletes the word from the vocabulary.",
    ),
    answer="b",
    explanation="A word that never appears is never looked up in training, so nothing the data say reaches "
    'its vector; L2 only pulls it towards zero. The knowledge that it means what "excellent" means is on '
    "the data side ({ref}`sec-07-wordings`).",
    section="sec-07-wordings",
)
_set.question(
    3,
    'Word deletion removes "not" from "the plot was not bad", labelled positive. What has the model been taught?',
    choices=(
        "Nothing harmful: a deletion never changes a label.",
        "That the review is negative.",
        "To ignore the word 'bad'.",
        'That "the plot was bad" is a positive review: a wrong label.',
    ),
    answer="d",
    explanation="Without its negation the sentence means the opposite of its label. Never delete (or "
    "replace) negations; the lesson counts how often plain deletion does it ({ref}`sec-07-label-breaking`).",
    section="sec-07-label-breaking",
)
_set.question(
    4,
    "A tutorial puts `SpatialDropout1D(0.3)` after an `Embedding` and calls it word dropout. What does it "
    "drop from an embedded review?",
    choices=(
        "Whole embedding channels, the same ones for every word of the review.",
        "Whole words, as deleting them from the text would.",
        "Single numbers anywhere, like a plain Dropout.",
        "Nothing: it only acts on images.",
    ),
    answer="a",
    explanation="Its noise shape is one draw per review and channel, shared by every word. To drop whole "
    "words, use `Dropout(rate, noise_shape=(None, words, 1))`, or delete words in the input pipeline "
    "({ref}`sec-07-dropouts`).",
    section="sec-07-dropouts",
)
_set.question(
    5,
    "You call `vectorize.adapt(training_reviews)` and then add synonym replacement to the input pipeline. "
    "What does the model see of a synonym that no raw training review contains?",
    choices=(
        "Its own new index, added to the vocabulary when it first appears.",
        "The index of the word it replaced.",
        "The one out-of-vocabulary index, the same for every such word, whatever its sentiment.",
        "An error: the layer refuses unknown words.",
    ),
    answer="c",
    explanation="An adapted vocabulary is fixed after `adapt`; every word outside it maps to index 1, "
    "`[UNK]`. Adapt on augmented text, or give the layer the thesaurus's words too ({ref}`sec-07-model`).",
    section="sec-07-model",
)
