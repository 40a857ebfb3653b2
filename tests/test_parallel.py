import numpy as np
import pytest

from augreg import import_tensorflow_quietly
from augreg.parallel import batch_order, fit_in_parallel

import_tensorflow_quietly()
import keras  # noqa: E402


def _model(seed, penalty=None):
    keras.utils.set_random_seed(seed)
    return keras.Sequential([
        keras.Input(shape=(4,)),
        keras.layers.Dense(8, activation="relu", kernel_regularizer=penalty),
        keras.layers.Dense(3, activation="softmax"),
    ])


def _data(seed, n=40):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 4)).astype("float32")
    return x, (x[:, 0] > 0).astype("int64") + (x[:, 1] > 0)


def test_batch_order_lays_epochs_end_to_end():
    order = batch_order(10, steps=7, batch_size=4, seed=3)
    assert order.shape == (28,)
    for epoch in range(2):  # each full epoch is a permutation of the training set
        assert sorted(order[10 * epoch: 10 * epoch + 10]) == list(range(10))
    np.testing.assert_array_equal(order, batch_order(10, 7, 4, seed=3))
    assert not np.array_equal(order, batch_order(10, 7, 4, seed=4))


@pytest.mark.parametrize("make_optimizer", [
    lambda: keras.optimizers.Adam(1e-2),
    lambda: keras.optimizers.SGD(0.1, momentum=0.9),
    lambda: keras.optimizers.AdamW(1e-2, weight_decay=0.1),
])
def test_branches_train_exactly_as_separate_fits(make_optimizer):
    """Two models trained side by side end where each ends when trained alone (penalty included)."""
    specs = [(0, 11, None), (1, 12, keras.regularizers.L2(1e-2))]
    together = [_model(seed, penalty) for seed, _, penalty in specs]
    data = [_data(data_seed) for _, data_seed, _ in specs]
    fit_in_parallel(together, [x for x, _ in data], [y for _, y in data], seeds=[5, 6], steps=12,
                    batch_size=8, optimizer=make_optimizer())
    for (seed, _, penalty), (x, y), trained, batch_seed in zip(specs, data, together, [5, 6]):
        alone = _model(seed, penalty)
        alone.compile(optimizer=make_optimizer(), loss="sparse_categorical_crossentropy")
        order = batch_order(len(x), 12, 8, batch_seed)
        alone.fit(x[order], y[order], batch_size=8, shuffle=False, verbose=0)
        for mine, reference in zip(trained.get_weights(), alone.get_weights()):
            np.testing.assert_allclose(mine, reference, rtol=1e-4, atol=1e-5)


def test_same_seed_means_same_batches_and_the_models_stay_usable():
    x, y = _data(1)
    first, second = _model(0), _model(0)
    fit_in_parallel([first, second], [x, x], [y, y], seeds=[2, 2], steps=5, batch_size=8)
    for a, b in zip(first.get_weights(), second.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6)
    assert first.predict(x, verbose=0).shape == (40, 3)


@pytest.mark.parametrize("call, error, words", [
    (lambda m, x, y: fit_in_parallel(m[0], [x], [y], seeds=[0], steps=1), TypeError, "list of keras.Model"),
    (lambda m, x, y: fit_in_parallel(m, [x], [y, y], seeds=[0, 0], steps=1), ValueError, "one entry per model"),
    (lambda m, x, y: fit_in_parallel(m, x, [y, y], seeds=[0, 0], steps=1), TypeError, "xs must be a list"),
    (lambda m, x, y: fit_in_parallel(m, [x, x[:5]], [y, y], seeds=[0, 0], steps=1), ValueError,
     "has 5 examples but ys"),
    (lambda m, x, y: fit_in_parallel(m, [x, x], [y, y], seeds=[0, -1], steps=1), ValueError, "seed"),
    (lambda m, x, y: fit_in_parallel(m, [x, x], [y, y], seeds=[0, 0], steps=0), ValueError, "steps"),
    (lambda m, x, y: fit_in_parallel([m[0], "net"], [x, x], [y, y], seeds=[0, 0], steps=1), TypeError,
     r"models\[1\]"),
])
def test_bad_input_gets_a_clear_message(call, error, words):
    x, y = _data(0)
    with pytest.raises(error, match=words):
        call([_model(0), _model(1)], x, y)
