"""The checks of exercise set 06: each accepts the solution, says "not attempted yet" for the stub, rejects
typed-in evidence and the near misses issue 23 lists, never shows a sealed test number, and hides its
truths from the learner's namespace."""

import numpy as np
import pytest

import augreg.checks.lesson06 as module
from augreg.checks import testing
from augreg.checks.lesson06 import check


@pytest.fixture(autouse=True)
def _fresh_records():
    check._set._reset()
    yield


def test_the_set_hides_its_truths():
    testing.assert_hides_truths(
        check,
        module,
        truths=(
            "_probes",
            "_rule",
            "_CASES",
            "_MISSES",
            "_NEGATIVE_BOUND",
            "_NORMAL_BOUND",
            "_hidden_faces",
            "_JITTER",
            "_set",
        ),
    )


# --- Exercise 1 -------------------------------------------------------------------------------------------


def _share(augmentation, images, labels, labeller):
    changed = augmentation(images, training=True)
    return float(np.mean(np.asarray(labeller(changed)) == labels))


def test_share_kept_accepts_right_answers():
    testing.assert_not_attempted(check.share_kept, ...)
    testing.assert_not_attempted(check.share_kept, lambda a, x, y, f: ...)
    testing.assert_passes(check.share_kept, _share)
    # a second right way: count the kept labels and divide
    by_count = lambda a, x, y, f: int(np.sum(np.asarray(f(np.asarray(a(x, training=True)))) == y)) / len(y)
    testing.assert_passes(check.share_kept, by_count)


def test_share_kept_rejects_near_misses():
    changed = lambda a, x: np.asarray(a(x, training=True))
    wrong = {
        # the layer in inference mode changes nothing: the labeller's accuracy on the originals
        "*original* images": lambda a, x, y, f: float(np.mean(f(np.asarray(a(x, training=False))) == y)),
        # comparing with the labeller's answers on the originals counts its mistakes as kept labels
        "compared the labeller's answers": lambda a, x, y, f: float(np.mean(f(changed(a, x)) == f(x))),
        "whose label changed": lambda a, x, y, f: 1 - _share(a, x, y, f),
        "not a count": lambda a, x, y, f: float(np.sum(f(changed(a, x)) == y)),
        "return one number": lambda a, x, y, f: f(changed(a, x)) == y,
    }
    for words, answer in wrong.items():
        testing.assert_rejects(check.share_kept, answer, says=words)
    # the augmentation never applied
    testing.assert_rejects(check.share_kept, lambda a, x, y, f: float(np.mean(f(x) == y)), says="*original* images")
    testing.assert_rejects_typed_evidence(check.share_kept)


def test_share_kept_draws_new_probes_on_every_attempt():
    from augreg.checks.lesson06 import _probes

    first = [p[2] for p in _probes(0, 0)]
    second = [p[2] for p in _probes(0, 1)]
    assert not np.array_equal(first[-1], second[-1])  # the synthetic images are drawn anew
    truths = {}
    for name, make, images, labels, labeller in _probes(0, 0):
        truths[name] = _share(make(), images, labels, labeller)
    # the probes say what the lesson says: the strong jitter breaks many lawns' labels, the mild one few;
    # an upside-down flip breaks about half of the brighter-half labels, a mirror none
    mild, strong, upside, mirror = truths.values()
    assert mild > 0.8 and strong < 0.8 and upside < 0.7 and mirror > 0.7, truths


# --- Exercise 2 -------------------------------------------------------------------------------------------


def _recipe(augmentation):
    import keras
    from keras import layers

    import augreg

    def recipe(x_train, y_train, x_val, y_val, seed):
        keras.utils.set_random_seed(seed)
        model = keras.Sequential(
            [
                keras.Input(shape=(25, 25, 1)),
                *augmentation(),
                layers.Conv2D(8, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Conv2D(16, 3, activation="relu"),
                layers.MaxPooling2D(),
                layers.Flatten(),
                layers.Dense(32, activation="relu"),
                layers.Dense(2, activation="softmax"),
            ]
        )
        augreg.fit_in_parallel(
            [model], [x_train], [y_train], seeds=[seed], steps=80, batch_size=32, optimizer=keras.optimizers.Adam(3e-3)
        )
        return model

    return recipe


def _invert(**options):
    from keras import layers

    return lambda: [layers.RandomInvert(**options)]


@pytest.mark.slow
def test_negatives_accepts_the_solution_and_rejects_doing_nothing():
    solution = _recipe(_invert(factor=(0.5, 0.5), value_range=(0, 1)))
    testing.assert_passes(check.negatives, solution)
    testing.assert_not_attempted(check.negatives, ...)
    testing.assert_not_attempted(check.negatives, lambda *args: ...)
    nothing = _recipe(lambda: [])
    testing.assert_rejects(check.negatives, nothing, says=("below the bound", "the negatives"))
    # RandomInvert without value_range maps v to 255 - v: never what the scanner delivers
    testing.assert_rejects(check.negatives, _recipe(_invert(factor=(0.5, 0.5))), says="below the bound")
    testing.assert_rejects_typed_evidence(check.negatives)


@pytest.mark.slow
def test_negatives_rejects_a_network_trained_on_the_notebooks_faces():
    import augreg
    from augreg import photos

    split = photos.load_faces_split(40, 60, 100, split_seed=augreg.experiment_seeds(1)[0])
    trained = _recipe(_invert(factor=(0.5, 0.5), value_range=(0, 1)))(split.x_train, split.y_train, None, None, 0)
    testing.assert_rejects(check.negatives, lambda *args: trained, says="did the network train on the faces")
    # a trained model handed in instead of a recipe
    testing.assert_rejects(check.negatives, trained, says="not a trained model")


# --- Exercise 3 -------------------------------------------------------------------------------------------


def _choose(clean, dim, plain_clean, bound):
    floor = np.mean(plain_clean) - bound
    allowed = [a for a in clean if np.mean(clean[a]) >= floor]
    return max(allowed, key=lambda a: np.mean(dim[a])) if allowed else 0


def test_choose_amount_accepts_right_answers():
    testing.assert_not_attempted(check.choose_amount, ...)
    testing.assert_not_attempted(check.choose_amount, lambda c, d, p, b: ...)
    testing.assert_passes(check.choose_amount, _choose)

    def sorted_way(clean, dim, plain_clean, bound):  # a second right way: rank by dim, take the first allowed
        for a in sorted(dim, key=lambda a: -np.mean(dim[a])):
            if np.mean(clean[a]) + bound >= np.mean(plain_clean):
                return a
        return 0

    testing.assert_passes(check.choose_amount, sorted_way)


def test_choose_amount_rejects_near_misses():
    def rule(average=np.mean, relative=False, strict=False, none=0):
        def choose(clean, dim, plain_clean, bound):
            floor = average(plain_clean) * (1 - bound) if relative else average(plain_clean) - bound
            ok = [a for a in clean if (average(clean[a]) > floor if strict else average(clean[a]) >= floor)]
            return max(ok, key=lambda a: average(dim[a])) if ok else none

        return choose

    wrong = {
        "follows one seed": rule(average=lambda v: v[0]),  # issue 23: no averaging over seeds
        "median seed": rule(average=np.median),
        "exactly on the floor": rule(strict=True),  # issue 23: a strict >
        "a fraction of the plain network's accuracy": rule(relative=True),  # issue 23: a relative bound
        "without the clean floor": lambda c, d, p, b: max(d, key=lambda a: np.mean(d[a])),
        "best amount on clean images": lambda c, d, p, b: max(c, key=lambda a: np.mean(c[a])),
        "return 0 then": rule(none=min),
    }
    wrong["return 0 then"] = lambda c, d, p, b: _choose(c, d, p, b) or min(c)
    for words, answer in wrong.items():
        testing.assert_rejects(check.choose_amount, answer, says=words)
    testing.assert_rejects_typed_evidence(check.choose_amount)


def test_choose_amount_draws_new_cases_on_every_attempt():
    from augreg.checks.lesson06 import _random_cases

    first, second = list(_random_cases(0, 0)), list(_random_cases(0, 1))
    assert any(a[0] != b[0] for a, b in zip(first, second))
