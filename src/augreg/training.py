"""Training one Keras model: TensorFlow imported quietly, a seeded ``fit``, accuracy in inference mode.

* :func:`import_tensorflow_quietly` -- import TensorFlow and Keras without their start-up log lines.
* :func:`seeded_fit` -- ``model.fit``, seeded and silent, returning the history as arrays.
* :func:`accuracy` -- the fraction right, with augmentation and dropout off.

Several models trained at once, as the branches of one ``fit``: :mod:`augreg.parallel`.
"""

from __future__ import annotations

import logging
import os
import sys

import numpy as np

from .validation import check_int, check_seed


def import_tensorflow_quietly():
    """Import TensorFlow and Keras with their start-up log lines silenced.

    TensorFlow 2.21 writes its C++ start-up messages (oneDNN, CUDA probing)
    straight to the process's standard error, before ``TF_CPP_MIN_LOG_LEVEL``
    is read, and Jupyter shows them as red text. This function sets the
    documented environment variable, points file descriptor 2 at ``os.devnull``
    while TensorFlow initialises, and then restores it, so real errors later on
    are still shown. Python-level TensorFlow warnings are lowered to errors.

    Call it before the first ``import keras``. Returns the ``keras`` module.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    sys.stderr.flush()
    saved_fd = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    try:
        import keras
        import tensorflow as tf

        tf.constant(0.0) + 1.0  # initialises the runtime, which logs once more
    finally:
        os.dup2(saved_fd, 2)
        os.close(saved_fd)
        os.close(devnull)
    tf.get_logger().setLevel(logging.ERROR)
    logging.getLogger("absl").setLevel(logging.ERROR)
    return keras


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
    epochs, batch_size = check_int("epochs", epochs, 1), check_int("batch_size", batch_size, 1)
    seed = check_seed(seed)
    x, y = _as_array("x", x), _as_array("y", y)
    if len(x) != len(y):
        raise ValueError(f"x and y must have the same length, got {len(x)} inputs and {len(y)} labels")
    if not (isinstance(validation_data, (tuple, list)) and len(validation_data) == 2):
        raise ValueError("validation_data must be a pair (x_val, y_val)")
    x_val, y_val = (_as_array("x_val", v) for v in validation_data)
    if len(x_val) != len(y_val):
        raise ValueError(f"x_val and y_val must have the same length, got {len(x_val)} inputs and {len(y_val)} labels")
    if x.shape[1:] != x_val.shape[1:]:
        raise ValueError(f"training inputs have shape {x.shape[1:]} but validation inputs {x_val.shape[1:]}")
    fit_kwargs.pop("verbose", None)  # always silent: no progress bars in the book
    keras.utils.set_random_seed(seed)
    history = model.fit(
        x,
        y,
        validation_data=(x_val, y_val),
        validation_batch_size=max(len(y_val), 1),
        epochs=epochs,
        batch_size=batch_size,
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
    step = n if batch_size is None else check_int("batch_size", batch_size, 1)
    predicted = np.concatenate(
        [keras.ops.convert_to_numpy(model(x[i : i + step], training=False)).argmax(axis=1) for i in range(0, n, step)]
    )
    return float(np.mean(predicted == labels))
