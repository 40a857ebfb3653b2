"""augreg.text: the generated reviews, the WordNet extract, the VADER lexicon, the augmentation plumbing."""

import socket

import numpy as np
import pytest

from augreg import text


def test_every_resource_loads_with_networking_off(monkeypatch):
    def no_network(*args, **kwargs):
        raise OSError("networking is off in this test")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    text.load_sentiment_lexicon.cache_clear()
    lexicon = text.load_sentiment_lexicon()
    assert len(lexicon) > 7000
    assert text.valence("good") > 0 > text.valence("bad")
    assert "splendid" in text.synonyms("excellent")
    split = text.load_reviews_split(n_train=10, n_val=10, n_test=10, split_seed=3)
    assert len(split.x_heldout) == 10
    assert len(text.vocabulary()) > 100


def test_reviews_are_labelled_by_construction():
    texts, labels = text.make_reviews(400, seed=1)
    assert len(texts) == 400 and labels.dtype == np.int64
    assert labels.sum() == 200  # balanced
    positive = set(text.TRAIN_WORDS["positive"])
    negative = set(text.TRAIN_WORDS["negative"])
    for review, label in zip(texts, labels):
        for clause in review.split(" and "):
            words = clause.split()
            polarity = 1 if positive & set(words) else 0
            assert (positive | negative) & set(words), clause
            if any(w in text.NEGATIONS for w in words):
                polarity = 1 - polarity
            assert polarity == label, (review, label)
    assert 0.2 < np.mean([text.is_negated(t) for t in texts]) < 0.7


def test_heldout_wordings_never_appear_in_training_reviews():
    heldout = {w for pool in text.HELDOUT_WORDS.values() for w in pool}
    texts, _ = text.make_reviews(500, wordings="train", seed=2)
    assert not heldout & {w for t in texts for w in t.split()}
    held, _ = text.make_reviews(200, wordings="heldout", seed=2)
    train = {w for pool in text.TRAIN_WORDS.values() for w in pool}
    assert not train & {w for t in held for w in t.split()}
    # each held-out word is a WordNet synonym of a training word, of its own VADER sign
    for polarity, pool in text.HELDOUT_WORDS.items():
        sign = 1 if polarity == "positive" else -1
        for word in pool:
            assert any(word in text.synonyms(t) for t in text.TRAIN_WORDS[polarity]), word
            assert np.sign(text.valence(word)) == sign, word


def test_split_is_seeded_and_disjoint_streams():
    a = text.load_reviews_split(split_seed=5)
    b = text.load_reviews_split(split_seed=5)
    c = text.load_reviews_split(split_seed=6)
    assert a.x_train == b.x_train and np.array_equal(a.y_test, b.y_test)
    assert a.x_train != c.x_train
    assert a.x_train != a.x_val
    assert (len(a.x_train), len(a.x_val), len(a.x_test), len(a.x_heldout)) == (200, 300, 400, 400)


def test_vocabulary_covers_everything_generated():
    vocabulary = set(text.vocabulary())
    assert text.vocabulary() == sorted(vocabulary)
    for wordings in ("train", "heldout"):
        texts, _ = text.make_reviews(300, wordings=wordings, seed=4)
        assert {w for t in texts for w in t.split()} <= vocabulary
    assert {s for pool in text.THESAURUS.values() for s in pool} <= vocabulary


def test_synonyms_and_valence():
    assert text.synonyms("GREAT") == text.synonyms("great")
    assert text.synonyms("plot") == ()
    assert "amazing" in text.synonyms("awful") and text.valence("amazing") > 0
    assert text.valence("gravid") == 0.0
    with pytest.raises(TypeError):
        text.synonyms(3)
    with pytest.raises(TypeError):
        text.valence(None)


def test_augment_texts_is_seeded_and_copy_major():
    texts = ["the plot was good", "what a dull film"]

    def shout(words, rng):
        return [w.upper() if rng.random() < 0.5 else w for w in words]

    one = text.augment_texts(texts, shout, copies=3, seed=1)
    assert one == text.augment_texts(texts, shout, copies=3, seed=1)
    assert one != text.augment_texts(texts, shout, copies=3, seed=2)
    assert len(one) == 6
    assert [t.lower() for t in one] == texts * 3
    assert text.augment_texts(texts, lambda w, r: " ".join(w), copies=1, seed=0) == texts


@pytest.mark.parametrize(
    "kwargs, error",
    [
        (dict(texts="a b", augment=lambda w, r: w, copies=1, seed=0), TypeError),
        (dict(texts=["a"], augment=None, copies=1, seed=0), TypeError),
        (dict(texts=["a"], augment=lambda w, r: w, copies=0, seed=0), ValueError),
        (dict(texts=["a"], augment=lambda w, r: w, copies=1, seed=-1), ValueError),
        (dict(texts=[1], augment=lambda w, r: w, copies=1, seed=0), TypeError),
        (dict(texts=["a b"], augment=lambda w, r: [], copies=1, seed=0), ValueError),
    ],
)
def test_augment_texts_validates(kwargs, error):
    with pytest.raises(error):
        text.augment_texts(**kwargs)


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(n=0),
        dict(n=2.5),
        dict(n=True),
        dict(n=5, wordings="test"),
        dict(n=5, negation_rate=1.5),
        dict(n=5, seed=-1),
    ],
)
def test_make_reviews_validates(kwargs):
    with pytest.raises((TypeError, ValueError)):
        text.make_reviews(**kwargs)


def test_split_validates_and_is_negated():
    with pytest.raises(ValueError):
        text.load_reviews_split(n_train=0)
    with pytest.raises(ValueError):
        text.load_reviews_split(split_seed=-2)
    assert text.is_negated("the plot was not good")
    assert not text.is_negated("the plot was nothing special")
    with pytest.raises(TypeError):
        text.is_negated(["not"])


def test_lexicon_adjectives_lie_outside_every_list_of_the_course():
    from augreg import text

    words = text.lexicon_adjectives()
    assert len(words) > 100 and words == sorted(words)
    assert not set(words) & set(text.vocabulary())  # no training, held-out, thesaurus or template word
    assert all(w.isalpha() and w.endswith(text.ADJECTIVE_ENDINGS) for w in words)
    assert {"joyful", "abusive", "woeful"} <= set(words)  # stand-ins Lesson 07 picks from them
