import numpy as np
import pytest

import augreg

keras = augreg.import_tensorflow_quietly()


def _model(seed=0):
    keras.utils.set_random_seed(seed)
    model = keras.Sequential([keras.Input(shape=(8, 8, 1)), keras.layers.Flatten(), keras.layers.Dense(10)])
    model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
    return model


@pytest.fixture(scope="module")
def data():
    return augreg.load_digits_split(n_train=50, n_val=100)


def test_seeded_fit_returns_one_array_per_metric_and_epoch(data):
    history = augreg.seeded_fit(
        _model(), data.x_train, data.y_train, validation_data=(data.x_val, data.y_val), epochs=3, batch_size=16
    )
    assert set(history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    for values in history.values():
        assert isinstance(values, np.ndarray) and values.shape == (3,) and np.all(np.isfinite(values))
    assert history["loss"][-1] < history["loss"][0]


def test_seeded_fit_is_reproducible_and_the_seed_matters(data):
    runs = [
        augreg.seeded_fit(
            _model(0),
            data.x_train,
            data.y_train,
            validation_data=(data.x_val, data.y_val),
            epochs=2,
            batch_size=8,
            seed=seed,
        )
        for seed in (0, 0, 1)
    ]
    np.testing.assert_array_equal(runs[0]["val_loss"], runs[1]["val_loss"])
    assert not np.array_equal(runs[0]["loss"], runs[2]["loss"])  # another batch order


def test_seeded_fit_passes_callbacks_through(data):
    stopper = keras.callbacks.EarlyStopping(monitor="loss", patience=0, min_delta=1e9)
    history = augreg.seeded_fit(
        _model(),
        data.x_train,
        data.y_train,
        validation_data=(data.x_val, data.y_val),
        epochs=10,
        callbacks=[stopper],
        verbose=1,
    )
    assert len(history["loss"]) < 10


@pytest.mark.parametrize(
    "change, words",
    [
        ({"epochs": 0}, "epochs must be at least 1"),
        ({"epochs": 2.5}, "epochs must be a whole number"),
        ({"batch_size": -4}, "batch_size must be at least 1"),
        ({"seed": -1}, "seed must be between 0 and"),
        ({"validation_data": None}, r"validation_data must be a pair \(x_val, y_val\)"),
        ({"y": np.zeros(3)}, "x and y must have the same length, got 50 inputs and 3 labels"),
        ({"validation_data": (np.zeros((4, 8, 8, 1)), np.zeros(5))}, "x_val and y_val must have the same length"),
        ({"validation_data": (np.zeros((4, 64)), np.zeros(4))}, "training inputs have shape"),
    ],
)
def test_seeded_fit_rejects_bad_arguments(data, change, words):
    kwargs = dict(x=data.x_train, y=data.y_train, validation_data=(data.x_val, data.y_val), epochs=1)
    kwargs.update(change)
    with pytest.raises((TypeError, ValueError), match=words):
        augreg.seeded_fit(_model(), **kwargs)


def test_seeded_fit_requires_a_compiled_keras_model(data):
    uncompiled = keras.Sequential([keras.Input(shape=(8, 8, 1)), keras.layers.Flatten(), keras.layers.Dense(10)])
    args = (data.x_train, data.y_train)
    with pytest.raises(ValueError, match="not compiled"):
        augreg.seeded_fit(uncompiled, *args, validation_data=(data.x_val, data.y_val), epochs=1)
    with pytest.raises(TypeError, match="must be a keras.Model"):
        augreg.seeded_fit("model", *args, validation_data=(data.x_val, data.y_val), epochs=1)


def test_accuracy_is_measured_in_inference_mode():
    import keras

    from augreg import accuracy

    keras.utils.set_random_seed(0)
    x = np.eye(4, dtype="float32")
    y = np.array([0, 1, 2, 3])
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dropout(0.99), keras.layers.Dense(4)])
    model.layers[-1].set_weights([np.eye(4, dtype="float32") * 5, np.zeros(4, "float32")])
    assert accuracy(model, x, y) == 1.0  # dropout off
    assert accuracy(model, x, np.eye(4)[[0, 1, 2, 0]]) == 0.75  # one-hot labels
    assert accuracy(model, x, y, batch_size=3) == 1.0
    with pytest.raises(ValueError, match="same number"):
        accuracy(model, x, y[:3])
