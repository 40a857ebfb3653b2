"""Checks of exercise set 10 (decay, batch norm, max-norm, ensembles): ``from augreg.checks.lesson10 import check``.

Everything but ``check`` is private and hidden from ``dir``; every number graded is computed by the
check, on data and weights it draws itself, anew for every attempt.

* Exercise 1 grades ``make_optimizer(wd)`` and ``matching_l2(wd)``: the check trains a linear model with
  a bias (its own inputs, labels and initial weights; a decay drawn per attempt) step by step with the
  learner's optimizer, with plain SGD whose decoupled decay leaves the biases alone (the truth), and with
  plain SGD plus the learner's L2 penalty on the kernel; all three must agree to float rounding.
* Exercise 2 grades ``mc_dropout_layer(rate)``: the check puts the returned layer after a batch norm layer
  in a network of its own and measures, with the network called in inference mode, that the layer still
  drops units, a share equal to the rate (drawn per attempt), with a fresh mask per image and per call,
  and scales the kept ones so that the mean stays the same, while the batch norm layer keeps its running
  statistics.
* Exercise 3 (open) grades ``repair_statistics(model, x_train, x_val, y_val)``: the check trains a network
  with dropout before a batch norm layer on a draw of its own (classes relabelled), hands a copy to the
  learner's function, and measures on its sealed test digits how far each batch norm layer's running
  variance lies from the variance of the inputs it sees at inference (:data:`_SHIFT_BOUND`); kernels,
  biases, gamma and beta must stay as they were.
"""

from __future__ import annotations

import numpy as np

from . import ExerciseSet, Hint
from .evidence import call_learner, predict_classes, record_pilot, require_function, sealed_split

_set = ExerciseSet("10", "10-decay-batchnorm-ensembles")
check = _set.learner_view
__all__ = ["check"]


def __dir__():
    return ["check"]


# --- Exercise 1 ------------------------------------------------------------------------------------------

#: Exercise 1: the learning rate of the plain SGD the task names, and the steps the check trains.
_LEARNING_RATE, _STEPS = 0.1, 12


def _problem(seed: int, attempt: int):
    """A linear classification problem of the check's own: inputs, one-hot labels, initial weights, decay."""
    rng = np.random.default_rng([seed, attempt, 101])
    n, d, k = 64, 12, 4
    x = rng.normal(size=(n, d)).astype("float32")
    y = np.eye(k, dtype="float32")[rng.integers(0, k, n)]
    kernel = rng.normal(0, 0.5, size=(d, k)).astype("float32")
    bias = rng.normal(0, 0.5, size=(k,)).astype("float32")
    wd = float(np.round(rng.uniform(0.2, 1.0), 3))
    return x, y, kernel, bias, wd


def _train(optimizer, problem, l2: float = 0.0):
    """Kernel and bias after :data:`_STEPS` full-batch steps of ``optimizer`` (eager, no tracing)."""
    import keras
    import tensorflow as tf

    x, y, kernel, bias, _ = problem
    dense = keras.layers.Dense(y.shape[1], kernel_regularizer=keras.regularizers.L2(l2) if l2 else None)
    model = keras.Sequential([keras.Input(shape=(x.shape[1],)), dense])
    dense.set_weights([kernel, bias])
    loss = keras.losses.CategoricalCrossentropy(from_logits=True)
    for _ in range(_STEPS):
        with tf.GradientTape() as tape:
            value = loss(y, model(x, training=True))
            if model.losses:
                value = value + tf.add_n(model.losses)
        optimizer.apply(tape.gradient(value, model.trainable_variables), model.trainable_variables)
    return [np.asarray(w, dtype="float64") for w in dense.get_weights()]


def _reference(wd: float | None, exclude=("bias",)):
    import keras

    optimizer = keras.optimizers.SGD(_LEARNING_RATE, weight_decay=wd)
    if wd and exclude:
        optimizer.exclude_from_weight_decay(var_names=list(exclude))
    return optimizer


def _same(a, b) -> bool:
    return all(np.linalg.norm(u - v) <= 1e-5 * max(1.0, np.linalg.norm(v)) for u, v in zip(a, b))


def _learner_optimizer(make_optimizer, wd):
    import keras

    optimizer = call_learner(make_optimizer, wd, what="make_optimizer")
    if not isinstance(optimizer, keras.optimizers.Optimizer):
        raise Hint(f"make_optimizer should return a Keras optimizer, got {type(optimizer).__name__}")
    return optimizer


@_set.exercise(
    1,
    "decay on the kernels only",
    level="core",
    section="sec-10-decay",
    hints=(
        "Which variables does a Keras optimizer's weight decay shrink, and which ones does a kernel "
        "penalty touch; and under which optimizer do decay and penalty take the same step?",
        "Plain SGD without momentum is the one optimizer where a decoupled decay and an L2 penalty give "
        "the same update. Keras decays every variable unless you tell the optimizer, before it is built, "
        "which variable names to leave alone. The gradient of the penalty is twice its strength times "
        "the weight.",
        "Return `opt = keras.optimizers.SGD(0.1, weight_decay=wd)` after "
        "`opt.exclude_from_weight_decay(var_names=['bias'])`, and `matching_l2(wd)` returns `wd / 2`.",
    ),
    name="decay_on_kernels",
)
def _decay_on_kernels(make_optimizer, matching_l2, seed):
    require_function(make_optimizer, "make_optimizer (the function itself)")
    require_function(matching_l2, "matching_l2 (the function itself)")
    record = _set._record(("exercise", 1))
    problem = _problem(seed, record.attempts)
    wd = problem[-1]
    first = _learner_optimizer(make_optimizer, wd)
    second = _learner_optimizer(make_optimizer, wd)
    if first is second:
        raise Hint(
            "make_optimizer returned the same optimizer twice: an optimizer is built for the variables "
            "of one model, so return a new one on every call."
        )
    try:
        mine = _train(first, problem)
    except Exception as exc:  # noqa: BLE001 - the learner's optimizer, reported as a hint
        raise Hint(f"the check could not train with your optimizer ({type(exc).__name__}: {exc})") from None
    truth = _train(_reference(wd), problem)
    task = f"On a linear model of the check's own, decay {wd}:"
    if not _same(mine, truth):
        if _same(mine, _train(_reference(wd, exclude=()), problem)):
            raise Hint(
                f"{task} your optimizer decays the biases too; the task's decay leaves them alone, like a "
                "kernel penalty."
            )
        if _same(mine, _train(_reference(None), problem)):
            raise Hint(f"{task} your optimizer does not decay at all.")
        if _same(mine, _train(_reference(wd, exclude=("kernel",)), problem)):
            raise Hint(f"{task} your optimizer decays the biases and leaves the kernels alone: the other way round.")
        if _same(mine[1:], truth[1:]):
            raise Hint(
                f"{task} your biases are right but your kernels are not: is it plain SGD, learning rate "
                f"{_LEARNING_RATE}, with a decoupled decay of exactly wd (no momentum, no Adam)?"
            )
        raise Hint(
            f"{task} your optimizer does not take the steps of plain SGD (learning rate {_LEARNING_RATE}) "
            "with a decoupled decay of wd on the kernels only."
        )
    value = call_learner(matching_l2, wd, what="matching_l2")
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) or value < 0:
        raise Hint(f"matching_l2 should return one non-negative strength, got {value!r}")
    penalized = _train(_reference(None), problem, l2=float(value))
    if not _same(penalized, truth):
        if np.isclose(value, wd):
            raise Hint(
                f"{task} an L2 penalty of wd takes twice the decay's step: Keras's L2(l) adds l times the "
                "sum of squares, without a half."
            )
        raise Hint(f"{task} plain SGD with L2({value:g}) on the kernel does not take the decay's steps.")
    return (
        "your optimizer decays the kernels only, and plain SGD with your L2 penalty takes the same steps, "
        "to float rounding."
    )


# --- Exercise 2 ------------------------------------------------------------------------------------------


def _rate(seed: int, attempt: int) -> float:
    return float(np.round(np.random.default_rng([seed, attempt, 102]).uniform(0.2, 0.6), 2))


@_set.exercise(
    2,
    "dropout that stays on",
    level="core",
    section="sec-10-mc-dropout",
    hints=(
        "When a model is called in inference mode, which layers switch their behaviour, and how can one "
        "layer keep behaving as in training while the others do not?",
        "A layer receives the `training` flag in its `call`. Subclass Keras's `Dropout` and, in `call`, "
        "pass the inputs on to the parent's `call` as if training were on, whatever flag came in. The "
        "parent already drops the right share and scales the kept units.",
        "`class MCDropout(keras.layers.Dropout)` with `def call(self, inputs, training=None): return "
        "super().call(inputs, training=True)`, and `mc_dropout_layer(rate)` returns `MCDropout(rate)`.",
    ),
)
def _mc_dropout_layer(function, seed):
    import keras

    require_function(function)
    record = _set._record(("exercise", 2))
    rate = _rate(seed, record.attempts)
    layer = call_learner(function, rate)
    if not isinstance(layer, keras.layers.Layer):
        raise Hint(f"mc_dropout_layer should return a Keras layer, got {type(layer).__name__}")
    rng = np.random.default_rng([seed, record.attempts, 103])
    keras.utils.set_random_seed(int(rng.integers(2**31)))
    norm = keras.layers.BatchNormalization()
    model = keras.Sequential(
        [keras.Input(shape=(16,)), keras.layers.Dense(64), norm, keras.layers.ReLU(), layer, keras.layers.Dense(5)]
    )
    norm.moving_mean.assign(rng.normal(0, 0.5, 64).astype("float32"))
    norm.moving_variance.assign(rng.uniform(0.5, 2.0, 64).astype("float32"))
    stats = (np.asarray(norm.moving_mean).copy(), np.asarray(norm.moving_variance).copy())
    x = rng.normal(size=(200, 16)).astype("float32")
    try:
        first, second = (np.asarray(model(x, training=False)) for _ in range(2))
        ones = np.asarray(layer(np.ones((400, 64), "float32"), training=False))
    except Exception as exc:  # noqa: BLE001 - the learner's layer, reported as a hint
        raise Hint(f"a network with your layer could not run ({type(exc).__name__}: {exc})") from None
    if not (
        np.array_equal(np.asarray(norm.moving_mean), stats[0])
        and np.array_equal(np.asarray(norm.moving_variance), stats[1])
    ):
        raise Hint("calling the network in inference mode changed the batch norm layer's running statistics.")
    if np.allclose(first, second):
        raise Hint(
            "called twice in inference mode, the network gives the same outputs: your layer is off at "
            "inference, so every pass would be the same network."
        )
    task = f"At rate {rate}, your layer"
    if np.mean(np.all(ones == ones[0], axis=1)) > 0.5:
        raise Hint(f"{task} drops the same units in every image: each image gets a mask of its own.")
    dropped = float(np.mean(ones == 0))
    if abs(dropped - (1 - rate)) < 0.03 and abs(rate - 0.5) > 0.05:
        raise Hint(f"{task} drops {dropped:.0%} of the units: the rate is the share dropped, not the share kept.")
    if abs(dropped - rate) > 0.03:
        raise Hint(f"{task} drops {dropped:.0%} of the units in inference mode, not {rate:.0%}.")
    kept = ones[ones != 0]
    if not np.allclose(kept, 1 / (1 - rate), rtol=1e-4):
        raise Hint(
            f"{task} keeps units at {np.median(kept):.3g} times their value: the mean changes. Inverted "
            "dropout scales the kept units up so that the mean stays what it is without dropout."
        )
    return (
        f"your layer drops a share {rate} of the units with the network in inference mode, a fresh mask "
        "per image and per call, scales the rest, and leaves batch norm's running statistics alone."
    )


# --- Exercise 3 ------------------------------------------------------------------------------------------

#: Exercise 3: the dropout rate of the shipped network (after block 1, so it feeds block 2's batch norm).
_RATE = 0.5
#: Exercise 3's bound on the variance shift left after the repair: the mean over the units of each batch
#: norm layer of |log(running variance / variance of its inputs on the sealed test digits, inference
#: mode)|, the larger of the two layers. Pilots on base seeds 100 / 101 / 102 / 103, on this check's
#: draws and networks (the larger layer's shift on the sealed test digits; this check judges the shift
#: only, and the lesson's accuracy comparison of the dropout placements is exploratory):
#: * the solution (statistics estimated again on the training digits, layer by layer in inference mode):
#:   0.079 / 0.062 / 0.063 / 0.068; on the validation digits instead: 0.059 / 0.059 / 0.050 / 0.057;
#: * doing nothing (the model returned as it came): 0.338 / 0.318 / 0.341 / 0.354;
#: * re-estimating with ``model(x_train, training=True)`` thirty times (dropout on): 0.440 / 0.402 / 0.431
#:   / 0.422; the means only: 0.337 / 0.316 / 0.355 / 0.359.
#: The bound lies 0.07 above the solution's worst pilot and 0.17 below doing nothing's best.
_SHIFT_BOUND = 0.15


def _shipped_network(seed: int):
    """Lesson 10's "dropout before BN" network: Dense, BN, ReLU, dropout; Dense, BN, ReLU; logits."""
    import keras

    keras.utils.set_random_seed(seed)
    hidden = [keras.layers.Dense(128) for _ in range(2)]
    output = keras.layers.Dense(10)
    return keras.Sequential(
        [
            keras.Input(shape=(8, 8, 1)),
            keras.layers.Flatten(),
            hidden[0],
            keras.layers.BatchNormalization(momentum=0.9),
            keras.layers.ReLU(),
            keras.layers.Dropout(_RATE),
            hidden[1],
            keras.layers.BatchNormalization(momentum=0.9),
            keras.layers.ReLU(),
            output,
        ]
    )


_TRAINED: dict = {}


def _trained(seed: int):
    """The check's draw and the shipped network's weights (trained once per seed and kernel)."""
    if seed not in _TRAINED:
        import keras

        from ..parallel import fit_in_parallel

        split = sealed_split(seed, "10.3", n_train=300, n_val=400, n_test=500)
        model = _shipped_network(seed)
        fit_in_parallel(
            [model],
            [split.x_train],
            [np.eye(10, dtype="float32")[split.y_train]],
            seeds=[seed],
            steps=240,
            batch_size=25,
            loss=keras.losses.CategoricalCrossentropy(from_logits=True),
            optimizer=keras.optimizers.Adam(3e-3),
        )
        _TRAINED.clear()
        _TRAINED[seed] = (split, model.get_weights())
    return _TRAINED[seed]


def _shifts(model, x) -> list[float]:
    """Per batch norm layer: mean over units of |log(running variance / inference variance on x)|."""
    import keras

    out, h = [], np.asarray(x)
    for layer in model.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            seen = np.var(np.asarray(h, dtype="float64"), axis=0)
            out.append(float(np.mean(np.abs(np.log(np.asarray(layer.moving_variance, dtype="float64") / seen)))))
        h = layer(h, training=False)
    return out


def _learned(model) -> list[np.ndarray]:
    """The trained weights (kernels, biases, gamma, beta): what a repair of statistics must not change."""
    return [np.asarray(w) for w in model.trainable_weights]


@_set.exercise(
    3,
    "repair the running statistics",
    level="open",
    section="sec-10-batch-norm",
    hints=(
        "Which numbers inside a trained batch norm layer were learned while dropout was on, and which "
        "digits could you use to estimate them again as the network runs at inference?",
        "The running mean and variance of a batch norm layer are estimates of the mean and variance of its "
        "inputs. Run the training digits through the network layer by layer in inference mode (dropout "
        "off), and where you reach a batch norm layer, set its running statistics to those of the inputs "
        "it receives, before going on. Nothing is trained: kernels, biases, gamma and beta stay.",
        "Loop over `model.layers` with `h = x_train`; at a `keras.layers.BatchNormalization` layer, "
        "`layer.moving_mean.assign(h.mean(axis=0))` and `layer.moving_variance.assign(h.var(axis=0))`; then "
        "`h = layer(h, training=False)` for every layer; return the model.",
    ),
)
def _repair_statistics(function, seed):
    require_function(function, "your function (the function itself)")
    split, weights = _trained(seed)
    model = _shipped_network(seed)
    model.set_weights(weights)
    learned = _learned(model)
    before = _shifts(model, split.x_test)
    repaired = call_learner(
        function, model, split.x_train.copy(), split.x_val.copy(), split.y_val.copy(), what="your function"
    )
    import keras

    if not isinstance(repaired, keras.Model):
        raise Hint(f"return the repaired Keras model, got {type(repaired).__name__}")
    norms = [layer for layer in repaired.layers if isinstance(layer, keras.layers.BatchNormalization)]
    if len(norms) != 2:
        raise Hint(f"return the network you were given, with its two batch norm layers; yours has {len(norms)}.")
    now = _learned(repaired)
    if len(now) != len(learned) or not all(np.array_equal(a, b) for a, b in zip(now, learned)):
        raise Hint(
            "your function changed what the network learned (its kernels, biases, gamma or beta): "
            "repair the statistics, do not train."
        )
    after_val = max(_shifts(repaired, split.x_val))
    after = max(_shifts(repaired, split.x_test))
    test_accuracy = float(np.mean(predict_classes(repaired, split.x_test) == split.y_test))
    record_pilot(
        "10.3",
        seed,
        shift_test=after,
        shift_validation=after_val,
        shift_before=max(before),
        test_accuracy=test_accuracy,
    )
    task = "the check's network with dropout before batch norm, after your repair"
    if after > _SHIFT_BOUND:
        raise Hint(
            f"{task}: on the check's validation digits its running variances are off by "
            f"{after_val:.3f} (mean |log ratio|), and on the sealed test digits by more than the bound "
            f"of {_SHIFT_BOUND:.2f} (their number is shown only with a pass). Which mode was the "
            "dropout layer in while you estimated them?"
        )
    return (
        f"{task}: its running variances match what its batch norm layers see at inference to {after:.3f} "
        f"(mean |log ratio| on the sealed test digits; the bound is {_SHIFT_BOUND:.2f}; {max(before):.3f} "
        f"before the repair). Test accuracy {test_accuracy:.1%}."
    )


# --- Check yourself: Lesson 10's questions -----------------------------------------------------------------

_set.question(
    1,
    "A PyTorch recipe says `Adam(lr, weight_decay=1e-4)`. What is the Keras equivalent?",
    choices=(
        "`keras.optimizers.Adam(lr, weight_decay=1e-4)`: the same argument means the same thing.",
        "`keras.optimizers.AdamW(lr, weight_decay=1e-4)`.",
        "Adam with `L2(5e-5)` on every weight, biases included: PyTorch's Adam adds the decay to the "
        "gradient, which is a coupled L2 penalty.",
        "Adam with `L2(1e-4)` on the kernels only.",
    ),
    answer="c",
    explanation="PyTorch's Adam(weight_decay) adds wd * w to the gradient of every parameter: a coupled "
    "penalty, L2(wd / 2) in Keras's convention. Every Keras optimizer's weight_decay is decoupled "
    "(AdamW), and it decays biases too unless they are excluded.",
    section="sec-10-decay",
)
_set.question(
    2,
    "A network has `Dense, BatchNormalization, ReLU, Dropout(0.5)` in each of three blocks. Which dropout "
    "layers cause a variance shift?",
    choices=(
        "All three.",
        "Those of blocks 1 and 2: each feeds the batch norm layer of the next block.",
        "Only the last one, because it feeds the output layer.",
        "None: batch norm standardizes whatever it receives.",
    ),
    answer="b",
    explanation="A batch norm layer after a dropout layer learns its running variance from the noisier "
    "training activations, and at inference (dropout off) standardizes with the wrong scale. The last "
    "block's dropout feeds no batch norm layer: dropout only after the last batch norm layer avoids the "
    "shift (what the placement does to accuracy, Lesson 10 left exploratory).",
    section="sec-10-batch-norm",
)
_set.question(
    3,
    'Someone calls a max-norm constraint "early stopping made explicit". What does max-norm limit?',
    choices=(
        "How far the weights travel from their initial values.",
        "The number of training steps.",
        "The sum of squares of all the weights, like an L2 penalty.",
        "The length of each unit's incoming weight vector, wherever it started.",
    ),
    answer="d",
    explanation="Max-norm rescales any unit's weight vector longer than c back to length c after every step. "
    "A unit can travel far while staying short, and a unit that starts longer than c is cut on the first "
    "step. Early stopping limits the number of steps; how far its restored weights lie from their start, "
    "Lesson 09 measured only as exploratory.",
    section="sec-10-max-norm",
)
_set.question(
    4,
    "You run MC dropout on a network with batch normalization as `model(x, training=True)`, thirty times. "
    "What goes wrong?",
    choices=(
        "Batch norm standardizes with each call's batch and, in Keras 3, updates its running statistics on "
        "every call; a dropout layer that stays on by itself, with training=False, avoids both.",
        "Nothing: training=True switches on dropout only.",
        "Only the speed: thirty passes are slow.",
        "The dropout masks repeat, so the thirty passes are identical.",
    ),
    answer="a",
    explanation="training=True switches every layer that behaves differently in training, batch norm "
    "included: a digit's prediction depends on the other digits in the call, and the running statistics "
    "drift towards the test data. Keep batch norm in inference mode and make only the dropout stay on.",
    section="sec-10-mc-dropout",
)
_set.question(
    5,
    "MC dropout with 30 passes or an ensemble of three dropout networks: whose averaged predictions disagree "
    "more often, as Lesson 10 measured?",
    choices=(
        "The ensemble members: they start from different weights.",
        "The MC passes: each is a thinned copy of one network, switching off other units each time; that "
        "is not the different knowledge of separately trained members.",
        "Neither: both disagree on the same digits.",
        "It cannot be measured without the test labels.",
    ),
    answer="b",
    explanation="Two MC passes disagreed on more test digits than two members. That comparison changes two "
    "things at once: the passes are thinned copies of one network (dropout on), the members whole networks "
    "from different starts (dropout off). More disagreement does not mean more to gain from averaging: the "
    "passes scatter around one network, the members differ in what they learned.",
    section="sec-10-mc-dropout",
)
