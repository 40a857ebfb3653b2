import numpy as np
import pytest

from augreg import import_tensorflow_quietly
from augreg.parallel import batch_order, fit_in_parallel

import_tensorflow_quietly()
import keras  # noqa: E402


def _model(seed, penalty=None):
    keras.utils.set_random_seed(seed)
    return keras.Sequential(
        [
            keras.Input(shape=(4,)),
            keras.layers.Dense(8, activation="relu", kernel_regularizer=penalty),
            keras.layers.Dense(3, activation="softmax"),
        ]
    )


def _data(seed, n=40):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 4)).astype("float32")
    return x, (x[:, 0] > 0).astype("int64") + (x[:, 1] > 0)


def test_batch_order_lays_epochs_end_to_end():
    order = batch_order(10, steps=7, batch_size=4, seed=3)
    assert order.shape == (28,)
    for epoch in range(2):  # each full epoch is a permutation of the training set
        assert sorted(order[10 * epoch : 10 * epoch + 10]) == list(range(10))
    np.testing.assert_array_equal(order, batch_order(10, 7, 4, seed=3))
    assert not np.array_equal(order, batch_order(10, 7, 4, seed=4))


@pytest.mark.parametrize(
    "make_optimizer",
    [
        lambda: keras.optimizers.Adam(1e-2),
        lambda: keras.optimizers.SGD(0.1, momentum=0.9),
        lambda: keras.optimizers.AdamW(1e-2, weight_decay=0.1),
    ],
)
def test_branches_train_exactly_as_separate_fits(make_optimizer):
    """Two models trained side by side end where each ends when trained alone (penalty included)."""
    specs = [(0, 11, None), (1, 12, keras.regularizers.L2(1e-2))]
    together = [_model(seed, penalty) for seed, _, penalty in specs]
    data = [_data(data_seed) for _, data_seed, _ in specs]
    fit_in_parallel(
        together,
        [x for x, _ in data],
        [y for _, y in data],
        seeds=[5, 6],
        steps=12,
        batch_size=8,
        optimizer=make_optimizer(),
    )
    for (seed, _, penalty), (x, y), trained, batch_seed in zip(specs, data, together, [5, 6]):
        alone = _model(seed, penalty)
        alone.compile(optimizer=make_optimizer(), loss="sparse_categorical_crossentropy")
        order = batch_order(len(x), 12, 8, batch_seed)
        alone.fit(x[order], y[order], batch_size=8, shuffle=False, verbose=0)
        for mine, reference in zip(trained.get_weights(), alone.get_weights()):
            np.testing.assert_allclose(mine, reference, rtol=1e-4, atol=1e-5)


def _image_model(seed, kind):
    """A small image network with the random or stateful layer the headline comparisons use."""
    keras.utils.set_random_seed(seed)
    layers = [keras.Input(shape=(6, 6, 1))]
    if kind == "augmentation":
        layers.append(keras.layers.RandomRotation(0.1, fill_mode="constant", seed=seed))
    layers += [keras.layers.Flatten(), keras.layers.Dense(12)]
    if kind == "batch_norm":
        layers.append(keras.layers.BatchNormalization())
    layers.append(keras.layers.Activation("relu"))
    if kind == "dropout":
        layers.append(keras.layers.Dropout(0.3, seed=seed))
    layers.append(keras.layers.Dense(3, activation="softmax"))
    return keras.Sequential(layers)


def _images(seed, n=48):
    rng = np.random.default_rng(seed)
    x = rng.uniform(size=(n, 6, 6, 1)).astype("float32")
    return x, (x[:, :3].mean(axis=(1, 2, 3)) > x[:, 3:].mean(axis=(1, 2, 3))).astype("int64")


def _schedule_adam():
    schedule = keras.optimizers.schedules.ExponentialDecay(2e-2, decay_steps=3, decay_rate=0.5)
    return keras.optimizers.Adam(schedule)


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["dropout", "augmentation", "batch_norm", "schedule"])
def test_random_and_stateful_layers_and_schedules_train_as_separate_fits(kind):
    """Dropout masks, augmentation draws, batch statistics and a learning-rate schedule are per branch."""
    make_optimizer = _schedule_adam if kind == "schedule" else (lambda: keras.optimizers.Adam(1e-2))
    specs = [(3, 21, 7), (4, 22, 8), (5, 21, 7)]  # (model seed, data seed, batch seed)
    data = [_images(data_seed) for _, data_seed, _ in specs]
    together = [_image_model(seed, kind) for seed, _, _ in specs]
    fit_in_parallel(
        together,
        [x for x, _ in data],
        [y for _, y in data],
        seeds=[b for *_, b in specs],
        steps=9,
        batch_size=8,
        optimizer=make_optimizer(),
        steps_per_execution=3,
    )
    for (seed, _, batch_seed), (x, y), trained in zip(specs, data, together):
        alone = _image_model(seed, kind)
        alone.compile(optimizer=make_optimizer(), loss="sparse_categorical_crossentropy", steps_per_execution=3)
        order = batch_order(len(x), 9, 8, batch_seed)
        alone.fit(x[order], y[order], batch_size=8, shuffle=False, verbose=0)
        for mine, reference in zip(trained.get_weights(), alone.get_weights()):
            np.testing.assert_allclose(mine, reference, rtol=1e-4, atol=1e-5)
        np.testing.assert_allclose(trained(x, training=False), alone(x, training=False), rtol=1e-4, atol=1e-5)


def test_same_seed_means_same_batches_and_the_models_stay_usable():
    x, y = _data(1)
    first, second = _model(0), _model(0)
    fit_in_parallel([first, second], [x, x], [y, y], seeds=[2, 2], steps=5, batch_size=8)
    for a, b in zip(first.get_weights(), second.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-6)
    assert first.predict(x, verbose=0).shape == (40, 3)


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda m, x, y: fit_in_parallel(m[0], [x], [y], seeds=[0], steps=1), TypeError, "list of keras.Model"),
        (lambda m, x, y: fit_in_parallel(m, [x], [y, y], seeds=[0, 0], steps=1), ValueError, "one entry per model"),
        (lambda m, x, y: fit_in_parallel(m, x, [y, y], seeds=[0, 0], steps=1), TypeError, "xs must be a list"),
        (
            lambda m, x, y: fit_in_parallel(m, [x, x[:5]], [y, y], seeds=[0, 0], steps=1),
            ValueError,
            "has 5 examples but ys",
        ),
        (lambda m, x, y: fit_in_parallel(m, [x, x], [y, y], seeds=[0, -1], steps=1), ValueError, "seed"),
        (lambda m, x, y: fit_in_parallel(m, [x, x], [y, y], seeds=[0, 0], steps=0), ValueError, "steps"),
        (
            lambda m, x, y: fit_in_parallel([m[0], "net"], [x, x], [y, y], seeds=[0, 0], steps=1),
            TypeError,
            r"models\[1\]",
        ),
    ],
)
def test_bad_input_gets_a_clear_message(call, error, words):
    x, y = _data(0)
    with pytest.raises(error, match=words):
        call([_model(0), _model(1)], x, y)


@pytest.mark.parametrize("share", ["model", "dense", "dropout"])
def test_a_layer_shared_by_two_models_is_refused(share):
    """A shared layer would couple the branches: its weights, or its random stream, would be trained
    or drawn by both."""
    x, y = _images(0)
    first = _image_model(0, "dropout")
    if share == "model":
        second = first
    else:  # the hidden Dense (weights), or the Dropout (a random stream), in a second model
        layer = first.layers[1] if share == "dense" else first.layers[-2]
        second = keras.Sequential(
            [keras.Input(shape=(6, 6, 1)), keras.layers.Flatten(), layer, keras.layers.Dense(3, activation="softmax")]
        )
    with pytest.raises(ValueError, match=r"models\[0\] and models\[1\] share"):
        fit_in_parallel([first, second], [x, x], [y, y], seeds=[0, 1], steps=1)


@pytest.mark.parametrize(
    "optimizer, words",
    [
        (lambda: keras.optimizers.Adam(1e-2, global_clipnorm=1.0), "global_clipnorm"),
        (lambda: keras.optimizers.LossScaleOptimizer(keras.optimizers.Adam(1e-2)), "LossScaleOptimizer"),
    ],
)
def test_optimizers_that_couple_the_branches_are_refused(optimizer, words):
    x, y = _data(0)
    with pytest.raises(ValueError, match=words):
        fit_in_parallel([_model(0), _model(1)], [x, x], [y, y], seeds=[0, 1], steps=1, optimizer=optimizer())


def test_per_weight_clipping_is_allowed():
    """clipnorm clips each weight's gradient on its own: the branches stay independent."""
    x, y = _data(0)
    fit_in_parallel(
        [_model(0), _model(1)],
        [x, x],
        [y, y],
        seeds=[0, 1],
        steps=2,
        optimizer=keras.optimizers.Adam(1e-2, clipnorm=1.0),
    )


def test_mixed_precision_is_refused():
    x, y = _data(0)
    keras.config.set_dtype_policy("mixed_float16")
    try:
        models = [_model(0), _model(1)]
    finally:
        keras.config.set_dtype_policy("float32")
    with pytest.raises(ValueError, match="mixed_float16"):
        fit_in_parallel(models, [x, x], [y, y], seeds=[0, 1], steps=1)
