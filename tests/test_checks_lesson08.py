"""The checks of exercise set 08: each accepts the solution (and a second right way), says "not attempted
yet" for the stub, rejects typed-in evidence and the near misses issue 23 lists and more, never shows a
sealed test number, and hides its truths from the learner's namespace."""

import numpy as np
import pytest

import augreg.checks.lesson08 as module
from augreg.checks import testing
from augreg.checks.lesson08 import check


@pytest.fixture(autouse=True)
def _fresh_records():
    check._set._reset()
    yield


def test_the_set_hides_its_truths():
    testing.assert_hides_truths(
        check, module, truths=("_batches", "_mixed", "_probe_layer", "_tilt", "_TILTED_BOUND", "_set")
    )


# --- Exercise 1 -------------------------------------------------------------------------------------------


def _mix_up(images, labels, weights, order):
    w = weights.reshape(-1, 1, 1, 1)
    v = weights.reshape(-1, 1)
    return w * images + (1 - w) * images[order], v * labels + (1 - v) * labels[order]


def _mix_up_einsum(images, labels, weights, order):  # a second right way: the blend as a matrix product
    blend = np.diag(weights) + np.eye(len(order))[order] * (1 - weights)[:, None]
    return np.einsum("ij,j...->i...", blend, images), blend @ labels


def test_mix_up_accepts_right_answers():
    testing.assert_not_attempted(check.mix_up, ...)
    testing.assert_not_attempted(check.mix_up, lambda *args: ...)
    testing.assert_passes(check.mix_up, _mix_up)
    testing.assert_passes(check.mix_up, _mix_up_einsum)


def test_mix_up_rejects_the_near_misses():
    def labels_unmixed(images, labels, weights, order):  # MixUp inside a model
        return _mix_up(images, labels, weights, order)[0], labels

    def swapped(images, labels, weights, order):  # 1 - w for the image itself
        return _mix_up(images, labels, 1 - weights, order)

    def inverse_partner(images, labels, weights, order):  # the partner from argsort(order)
        return _mix_up(images, labels, weights, np.argsort(order))

    def one_weight(images, labels, weights, order):
        return _mix_up(images, labels, np.full_like(weights, weights.mean()), order)

    def unshaped(images, labels, weights, order):  # (n,) against (n, 8, 8, 1)
        return weights * images + (1 - weights) * images[order], labels

    def labels_other_weights(images, labels, weights, order):
        return _mix_up(images, labels, weights, order)[0], _mix_up(images, labels, 1 - weights, order)[1]

    wrong = {
        "the labels are not": labels_unmixed,
        "wrong way round": swapped,
        "wrong partner": inverse_partner,
        "the same weight": one_weight,
        "line up with the first axis": unshaped,
        "as a pair": lambda *args: args[0],
    }
    for words, answer in wrong.items():
        testing.assert_rejects(check.mix_up, answer, says=words)
    testing.assert_rejects(check.mix_up, labels_other_weights, says="wrong way round")
    testing.assert_rejects_typed_evidence(check.mix_up)


def test_mix_up_rejects_a_table_of_the_outputs_an_earlier_try_used():
    from augreg.checks.lesson08 import _batches

    table = [truth for *_, truth in _batches(0, 0)]  # the first attempt's batches
    calls = iter(range(100))

    def lookup(images, labels, weights, order):
        return table[next(calls) % 2]

    testing.assert_rejects(check.mix_up, lambda *a: (a[0], a[1]), says="differ")  # attempt 1
    assert not testing.grade(check.mix_up, lookup).passed  # attempt 2 draws new batches


# --- Exercise 2 -------------------------------------------------------------------------------------------


def _per_image(x, y, layer, batch_size):
    import tensorflow as tf

    return tf.data.Dataset.from_tensor_slices((x, y)).map(lambda image, label: (layer(image), label)).batch(batch_size)


def test_varied_batches_accepts_right_answers():
    import tensorflow as tf

    def as_dict(x, y, layer, batch_size):  # a second right way: a dictionary, parallel calls
        data = tf.data.Dataset.from_tensor_slices({"images": x, "labels": y})
        return data.map(
            lambda d: {"images": layer(d["images"]), "labels": d["labels"]}, num_parallel_calls=2, deterministic=True
        ).batch(batch_size)

    testing.assert_not_attempted(check.varied_batches, ...)
    testing.assert_not_attempted(check.varied_batches, lambda *args: ...)
    testing.assert_passes(check.varied_batches, _per_image)
    testing.assert_passes(check.varied_batches, as_dict)


def test_varied_batches_rejects_the_near_misses():
    import tensorflow as tf

    def per_batch(x, y, layer, batch_size):  # .batch().map(): one draw per batch
        return tf.data.Dataset.from_tensor_slices((x, y)).batch(batch_size).map(lambda i, l: (layer(i), l))

    def before_the_pipeline(x, y, layer, batch_size):  # one eager call on the whole array
        return tf.data.Dataset.from_tensor_slices((np.asarray(layer(x)), y)).batch(batch_size)

    def switched_off(x, y, layer, batch_size):
        return (
            tf.data.Dataset.from_tensor_slices((x, y)).map(lambda i, l: (layer(i, training=False), l)).batch(batch_size)
        )

    def unbatched(x, y, layer, batch_size):
        return tf.data.Dataset.from_tensor_slices((x, y)).map(lambda i, l: (layer(i), l))

    def shuffled(x, y, layer, batch_size):
        return _per_image(x, y, layer, batch_size).unbatch().shuffle(100, seed=1).batch(batch_size)

    def images_only(x, y, layer, batch_size):
        return tf.data.Dataset.from_tensor_slices(x).map(layer).batch(batch_size)

    def not_a_dataset(x, y, layer, batch_size):
        return [(layer(x[i : i + batch_size]), y[i : i + batch_size]) for i in range(0, len(x), batch_size)]

    wrong = {
        "once per batch": per_batch,
        "one and the same draw": before_the_pipeline,
        "never ran in training mode": switched_off,
        "single images": unbatched,
        "keep each label paired": shuffled,
        "a pair (images, labels)": images_only,
        "tf.data.Dataset itself": not_a_dataset,
    }
    for words, answer in wrong.items():
        testing.assert_rejects(check.varied_batches, answer, says=words)
    testing.assert_rejects_typed_evidence(check.varied_batches)


def test_the_probe_layer_stamps_one_number_per_call():
    from augreg.checks.lesson08 import _probe_layer

    layer = _probe_layer()
    batch = np.zeros((4, 8, 8, 1), dtype="float32")
    out = np.asarray(layer(batch))
    assert len(np.unique(out)) == 1 and 1 <= out.min() < 2
    assert np.array_equal(np.asarray(layer(batch, training=False)), batch)


# --- Exercise 3 (trains networks: slow) ----------------------------------------------------------------------


def _recipe(front=lambda seed: [], epochs=100):
    import keras

    def recipe(x_train, y_train, seed):
        keras.utils.set_random_seed(seed)
        model = keras.Sequential(
            [
                keras.Input((8, 8, 1)),
                *front(seed),
                keras.layers.Conv2D(32, 3, padding="same", activation="relu"),
                keras.layers.MaxPooling2D(),
                keras.layers.Flatten(),
                keras.layers.Dense(10, activation="softmax"),
            ]
        )
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
        model.fit(x_train, y_train, batch_size=32, epochs=epochs, verbose=0)
        return model

    return recipe


def _rotation(seed):
    import keras

    return [keras.layers.RandomRotation(40 / 360, fill_mode="constant", seed=seed)]


def _sealed_test_accuracy(model, seed=0):
    from augreg.checks.evidence import accuracy, sealed_split
    from augreg.checks.lesson08 import _tilt

    split = sealed_split(seed, "08.3", n_train=100, n_val=400, n_test=1000)
    return accuracy(model, _tilt(split.x_test, seed + 2), split.y_test)


@pytest.mark.slow
def test_tilted_digits_accepts_a_recipe_that_trains_with_rotations_both_ways():
    testing.assert_not_attempted(check.tilted_digits, ...)
    testing.assert_not_attempted(check.tilted_digits, lambda *args: ...)
    result = testing.assert_passes(check.tilted_digits, _recipe(_rotation))
    assert "on the sealed test digits" in result.message


@pytest.mark.slow
def test_tilted_digits_rejects_doing_nothing_and_randaugment_without_showing_the_test_number():
    import keras

    kept = {}

    def plain(*args):
        kept["model"] = _recipe()(*args)
        return kept["model"]

    def randaugment(seed):  # the lesson's policy: rotations one way only, and brightness, contrast, ...
        return [keras.layers.RandAugment(value_range=(0, 1), factor=0.3, seed=seed)]

    result = testing.assert_rejects(check.tilted_digits, plain, says="validation")
    testing.assert_rejects(
        check.tilted_digits, lambda *args: kept["model"], sealed=(_sealed_test_accuracy(kept["model"]),)
    )
    assert "sealed test digits are below the bound" in result.message
    testing.assert_rejects(check.tilted_digits, _recipe(randaugment), says="validation")


@pytest.mark.slow
def test_tilted_digits_cannot_be_passed_with_the_notebooks_digits_or_a_huge_network():
    import keras

    from augreg.checks import working_split

    data = working_split(n_train=100, seed=0)  # the notebook's digits and labels
    notebook_model = _recipe(_rotation)(data.x_train, data.y_train, 0)

    def big(x_train, y_train, seed):
        return keras.Sequential(
            [
                keras.Input((8, 8, 1)),
                keras.layers.Flatten(),
                keras.layers.Dense(1000),
                keras.layers.Dense(10, activation="softmax"),
            ]
        )

    testing.assert_rejects(check.tilted_digits, lambda *args: notebook_model, says="like chance")
    testing.assert_rejects(check.tilted_digits, big, says="weights")
    testing.assert_rejects_typed_evidence(check.tilted_digits)
