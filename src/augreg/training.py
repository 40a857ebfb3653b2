"""A seeded wrapper around ``model.fit`` that returns the history as arrays."""

from __future__ import annotations

import numpy as np


def _as_array(name: str, value) -> np.ndarray:
    try:
        return np.asarray(value)
    except Exception as exc:  # pragma: no cover - numpy accepts almost anything
        raise TypeError(f"{name} must be array-like: {exc}") from None


def seeded_fit(
    model,
    x,
    y,
    *,
    validation_data,
    epochs: int,
    batch_size: int = 32,
    seed: int = 0,
    **fit_kwargs,
) -> dict[str, np.ndarray]:
    """Train a compiled Keras model reproducibly and return its history as arrays.

    This is ``model.fit`` with three conveniences the lessons need every time:
    it seeds Python, NumPy and the backend (``keras.utils.set_random_seed``)
    just before training, so batch order and dropout masks are reproducible;
    it trains silently (``verbose=0``); and it returns the per-epoch metrics as
    a plain ``dict`` of NumPy arrays, e.g. ``history["val_loss"][-1]``.

    The whole validation set is scored in one batch per epoch, which is much
    faster for the small data sets of this course and gives the same numbers.

    Args:
        model: a compiled ``keras.Model``. Build it after
            ``keras.utils.set_random_seed(seed)`` for reproducible initial weights.
        x, y: training inputs and labels.
        validation_data: ``(x_val, y_val)``, scored after every epoch.
        epochs: number of passes over the training data (a positive integer).
        batch_size: mini-batch size (a positive integer).
        seed: seed for the data order and any randomness during training.
        **fit_kwargs: passed to ``model.fit`` (e.g. ``callbacks``).

    Returns:
        ``{"loss": array, "val_loss": array, ...}``, one entry per epoch for the
        loss and every compiled metric, training and validation.
    """
    import keras

    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, got {type(model).__name__}")
    if not getattr(model, "compiled", False):
        raise ValueError("the model is not compiled: call model.compile(optimizer, loss, metrics) first")
    for name, value in (("epochs", epochs), ("batch_size", batch_size)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    x, y = _as_array("x", x), _as_array("y", y)
    if len(x) != len(y):
        raise ValueError(f"x and y must have the same length, got {len(x)} inputs and {len(y)} labels")
    if not (isinstance(validation_data, (tuple, list)) and len(validation_data) == 2):
        raise ValueError("validation_data must be a pair (x_val, y_val)")
    x_val, y_val = (_as_array("x_val", v) for v in validation_data)
    if len(x_val) != len(y_val):
        raise ValueError(
            f"x_val and y_val must have the same length, got {len(x_val)} inputs and {len(y_val)} labels"
        )
    if x.shape[1:] != x_val.shape[1:]:
        raise ValueError(f"training inputs have shape {x.shape[1:]} but validation inputs {x_val.shape[1:]}")
    fit_kwargs.pop("verbose", None)  # always silent: no progress bars in the book
    keras.utils.set_random_seed(int(seed))
    history = model.fit(
        x,
        y,
        validation_data=(x_val, y_val),
        validation_batch_size=max(len(y_val), 1),
        epochs=int(epochs),
        batch_size=int(batch_size),
        verbose=0,
        **fit_kwargs,
    )
    return {name: np.asarray(values, dtype="float64") for name, values in history.history.items()}


def accuracy(model, x, y, *, batch_size: int | None = None) -> float:
    """The fraction of ``x`` that ``model`` labels ``y``, in inference mode.

    The model is called directly with ``training=False``: augmentation layers and dropout are off, and
    no prediction graph is traced for each model (``predict`` traces one per model, which costs more
    than the prediction itself for the course's many small networks).

    Args:
        model: a Keras model whose outputs are logits or probabilities, one column per class.
        x: the inputs (images, or word indices for a text model).
        y: integer labels, or one-hot labels (one row per input).
        batch_size: split ``x`` into batches of this size (for inputs too large for one call).

    Returns:
        The accuracy, a float in [0, 1].
    """
    import keras

    labels = _as_array("y", y)
    if labels.ndim == 2:
        labels = labels.argmax(axis=1)
    n = len(labels)
    if len(x) != n:
        raise ValueError(f"x and y must hold the same number of examples, got {len(x)} and {n}")
    if n == 0:
        raise ValueError("accuracy of no examples is undefined: x and y are empty")
    if batch_size is not None and (isinstance(batch_size, bool) or not isinstance(batch_size, int)
                                   or batch_size < 1):
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")
    step = n if batch_size is None else batch_size
    predicted = np.concatenate([
        keras.ops.convert_to_numpy(model(x[i:i + step], training=False)).argmax(axis=1)
        for i in range(0, n, step)])
    return float(np.mean(predicted == labels))
