"""Several small models trained at once, as independent branches of one Keras model.

A comparison over seeds and arms trains dozens of tiny networks. On a CPU each
``fit`` step of an 8x8 network is mostly overhead, so training ``K`` networks
as the ``K`` branches of one model costs far less than ``K`` separate fits.
Nothing is shared between the branches: each has its own weights, its own
training set, its own batches and its own random layers; the loss is the
*sum* of the branches' losses, so the gradient with respect to one branch's
weights is exactly the gradient of that branch's own loss (its L1/L2
penalties included), and per-parameter optimizers (SGD, momentum, Adam, with
or without weight decay, a learning-rate schedule) update each branch as if it
were trained alone. Batch normalization normalizes each branch's batch with its
own statistics, and dropout and augmentation layers draw from their own seed
generators. ``tests/test_parallel.py`` checks all of that against separate fits.

Three things would couple the branches, and :func:`fit_in_parallel` refuses
them: an optimizer that clips by the *global* norm of all gradients
(``global_clipnorm``), loss scaling (a ``LossScaleOptimizer``, or the
``mixed_float16`` policy that brings one: a non-finite gradient in one branch
would skip the step of all), and a layer or weight shared by two models.

* :func:`batch_order` -- the order in which a seed presents a training set.
* :func:`fit_in_parallel` -- train a list of models side by side.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from .validation import check_int, check_seed


def batch_order(n: int, steps: int, batch_size: int, seed: int) -> np.ndarray:
    """Indices of ``steps`` mini-batches of ``batch_size`` drawn from ``n`` examples.

    The epochs (a fresh permutation of ``range(n)`` each, from
    ``numpy.random.default_rng(seed)``) are laid end to end and cut after
    ``steps * batch_size`` indices. Two models trained with the same seed see
    the same batches in the same order: that is what pairs two arms.
    """
    n, steps, batch_size = (
        check_int(name, value, 1) for name, value in (("n", n), ("steps", steps), ("batch_size", batch_size))
    )
    rng = np.random.default_rng(check_seed(seed))
    epochs = math.ceil(steps * batch_size / n)
    order = np.concatenate([rng.permutation(n) for _ in range(epochs)])
    return order[: steps * batch_size]


def _as_list(name: str, value, k: int) -> list:
    if isinstance(value, np.ndarray) or not isinstance(value, Sequence) or isinstance(value, str):
        raise TypeError(f"{name} must be a list with one entry per model, got {type(value).__name__}")
    if len(value) != k:
        raise ValueError(f"{name} must have one entry per model ({k}), got {len(value)}")
    return list(value)


def _refuse_coupling(models: list, optimizer) -> None:
    """Raise ``ValueError`` for what would couple the branches (see the module docstring)."""
    import keras

    if optimizer is not None and getattr(optimizer, "global_clipnorm", None):
        raise ValueError(
            "global_clipnorm clips every branch by the norm of all branches' gradients "
            "together, which couples them: use clipnorm (per weight) or clipvalue"
        )
    if isinstance(optimizer, keras.optimizers.LossScaleOptimizer):
        raise ValueError(
            "a LossScaleOptimizer skips the step of every branch when one branch's "
            "gradient is not finite: pass the optimizer it wraps"
        )
    policies = {keras.config.dtype_policy().name} | {model.dtype_policy.name for model in models}
    if "mixed_float16" in policies:
        raise ValueError(
            "the mixed_float16 policy brings loss scaling, which couples the branches: "
            "train in float32 (keras.config.set_dtype_policy('float32'))"
        )
    owner = {}
    for index, model in enumerate(models):
        for variable in model.variables:
            first = owner.setdefault(id(variable), index)
            if first != index:
                raise ValueError(
                    f"models[{first}] and models[{index}] share the weight {variable.path!r}: "
                    "a layer used by two models couples their training; build each model "
                    "from its own layers"
                )


def fit_in_parallel(
    models: Sequence,
    xs: Sequence,
    ys: Sequence,
    *,
    seeds: Sequence[int],
    steps: int,
    batch_size: int = 32,
    optimizer=None,
    loss="sparse_categorical_crossentropy",
    steps_per_execution: int = 10,
) -> list:
    """Train ``models[k]`` on ``(xs[k], ys[k])`` for ``steps`` batches each, all in one ``fit``.

    Each model sees the batches of :func:`batch_order` for ``seeds[k]``, so
    two models with the same seed (two arms of one seed) see the same images
    in the same order. Augmentation and dropout layers keep their own random
    streams, fixed when each model was built. The models are trained in
    place (their layers *are* the branches) and can be used one by one
    afterwards, e.g. ``models[k].predict(x_test)``.

    Args:
        models: Keras models (built, not necessarily compiled), all taking
            inputs of one shape.
        xs, ys: one training set per model (arrays of equal length within a pair).
        seeds: one non-negative seed per model, for its batch order.
        steps: gradient steps (the same for every model: the same budget).
        batch_size: examples per step.
        optimizer: a fresh ``keras.optimizers.Optimizer``; by default
            ``Adam(learning_rate=3e-3)``. Its settings apply to every branch
            (a learning-rate schedule counts the same steps for each);
            ``global_clipnorm`` and loss scaling are refused.
        loss: the per-branch loss, a name or a ``keras.losses.Loss`` object such as
            ``SparseCategoricalCrossentropy(from_logits=True)`` (its mean over the batch, as in ``fit``).
            The default expects probabilities (a softmax output): models that output logits need
            ``from_logits=True``.
        steps_per_execution: steps run per call into TensorFlow (speed only).

    Cost: on the course's 2-core CPU a small branch costs about 0.5-0.7 s of CPU
    to trace and build, then little per step; so the saving is largest for many
    short runs.

    Returns:
        ``models``, trained.

    Raises:
        ValueError: for anything that would couple the branches: two models sharing a layer
            (or the same model twice), ``global_clipnorm``, loss scaling.
    """
    import keras

    if isinstance(models, keras.Model) or not isinstance(models, Sequence) or not models:
        raise TypeError("models must be a non-empty list of keras.Model")
    models = list(models)
    for index, model in enumerate(models):
        if not isinstance(model, keras.Model):
            raise TypeError(f"models[{index}] must be a keras.Model, got {type(model).__name__}")
    _refuse_coupling(models, optimizer)
    k = len(models)
    xs, ys, seeds = _as_list("xs", xs, k), _as_list("ys", ys, k), _as_list("seeds", seeds, k)
    xs = [np.asarray(x) for x in xs]
    ys = [np.asarray(y) for y in ys]
    for index, (x, y) in enumerate(zip(xs, ys)):
        if len(x) != len(y):
            raise ValueError(f"xs[{index}] has {len(x)} examples but ys[{index}] has {len(y)} labels")
    shape = xs[0].shape[1:]
    if any(x.shape[1:] != shape for x in xs):
        raise ValueError(f"every training set must have inputs of one shape, got {[x.shape[1:] for x in xs]}")
    orders = [batch_order(len(x), steps, batch_size, seed) for x, seed in zip(xs, seeds)]

    inputs = [keras.Input(shape=shape) for _ in models]
    outputs = [model(branch) for model, branch in zip(models, inputs)]
    together = keras.Model(inputs, outputs)
    together.compile(
        optimizer=optimizer if optimizer is not None else keras.optimizers.Adam(3e-3),
        loss=[loss] * k,  # summed over the branches
        steps_per_execution=steps_per_execution,
    )
    together.fit(
        [x[order] for x, order in zip(xs, orders)],
        [y[order] for y, order in zip(ys, orders)],
        batch_size=batch_size,
        epochs=1,  # the epochs are already laid end to end in each order
        shuffle=False,
        verbose=0,
    )
    return models
