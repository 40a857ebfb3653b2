"""The checks of exercise set 02: each accepts the solution, says "not attempted yet" for the stub, rejects
typed-in evidence and the near misses issue 23 lists, never shows a sealed test number, and hides its
truths from the learner's namespace."""

import time

import numpy as np
import pytest

import augreg
import augreg.checks.lesson02 as module
from augreg.checks import testing
from augreg.checks.lesson02 import check

keras = augreg.import_tensorflow_quietly()
layers = keras.layers


@pytest.fixture(autouse=True)
def _fresh_records():
    check._set._reset()
    keras.utils.set_random_seed(0)
    yield


def test_the_set_hides_its_truths():
    testing.assert_hides_truths(
        check,
        module,
        truths=("_set", "_MAX_ROTATION", "_MAX_SHEAR", "_WANDERING_BOUND", "_CENTRED_BOUND", "_wander", "_Spy"),
    )


# --- Exercise 1 -------------------------------------------------------------------------------------------


def _shifts():
    return layers.RandomTranslation(1 / 8, 1 / 8, fill_mode="constant", interpolation="nearest")


def _contrast():
    return layers.RandomContrast(0.3, value_range=(0, 1))


def test_digit_pipeline_accepts_pipelines_that_keep_digits_digits():
    testing.assert_not_attempted(check.digit_pipeline, ...)
    testing.assert_passes(check.digit_pipeline, keras.Sequential([_shifts(), _contrast()]))
    # a second right way: a slight turn and a slight slant, black fill
    testing.assert_passes(
        check.digit_pipeline,
        keras.Sequential(
            [layers.RandomRotation(0.02, fill_mode="constant"), layers.RandomShear(x_factor=0.2, fill_mode="constant")]
        ),
    )
    # the limits: three pixels, 18 degrees, a 25 % zoom, a 0.3 shear; nested Sequentials are flattened
    testing.assert_passes(
        check.digit_pipeline,
        keras.Sequential(
            [
                keras.Sequential([layers.RandomTranslation(0.375, 0.375, fill_mode="constant")]),
                layers.RandomRotation(0.05, fill_mode="constant"),
                layers.RandomZoom(0.25, fill_mode="constant"),
                layers.RandomShear(x_factor=0.3, y_factor=0.3, fill_mode="constant"),
            ]
        ),
    )


def test_digit_pipeline_rejects_the_near_misses():
    wrong = {
        # issue 23's near miss: a shear with its default fill, "reflect" (its docstring says "constant")
        'fill_mode="reflect"': keras.Sequential([layers.RandomShear(x_factor=0.5), _contrast()]),
        # the same shear filled with black still slants a digit by 27 degrees
        "slants the strokes by up to 27 degrees": keras.Sequential(
            [layers.RandomShear(x_factor=0.5, fill_mode="constant"), _contrast()]
        ),
        "turns an image by up to 36 degrees": keras.Sequential(
            [_shifts(), layers.RandomRotation(0.1, fill_mode="constant")]
        ),
        "by up to 4 of its 8 pixels": keras.Sequential(
            [layers.RandomTranslation(0.5, 0.5, fill_mode="constant"), _contrast()]
        ),
        "zooms by up to 50%": keras.Sequential([_shifts(), layers.RandomZoom(0.5, fill_mode="constant")]),
        'fill_mode="reflect", which copies': keras.Sequential([layers.RandomTranslation(0.125, 0.125), _contrast()]),
        'fill_mode="nearest"': keras.Sequential([layers.RandomRotation(0.02, fill_mode="nearest"), _contrast()]),
        "value_range=(0.0, 255.0)": keras.Sequential([_shifts(), layers.RandomContrast(0.3)]),
        "a 6 upside down is a 9": keras.Sequential([layers.RandomFlip(), _shifts()]),
        "mirror image": keras.Sequential([layers.RandomFlip("horizontal"), _shifts()]),
        "keras-team/keras#21868": keras.Sequential([_shifts(), layers.RandomCrop(7, 7)]),
        "at least two kinds": keras.Sequential([_shifts()]),
        "wrap your layers": [_shifts(), _contrast()],
        "with training=False the pipeline changed": keras.Sequential(
            [_shifts(), _contrast(), layers.Lambda(lambda x: 0.5 * x)]
        ),
    }
    for words, answer in wrong.items():
        testing.assert_rejects(check.digit_pipeline, answer, says=words)
    testing.assert_rejects_typed_evidence(check.digit_pipeline)


# --- Exercise 2 -------------------------------------------------------------------------------------------


def _fixed():
    return keras.Sequential(
        [layers.RandomFlip("horizontal"), layers.RandomRotation(0.02), layers.RandomBrightness(0.2, value_range=(0, 1))]
    )


def test_photo_pipeline_accepts_the_fixed_pipeline():
    testing.assert_not_attempted(check.photo_pipeline, ...)
    testing.assert_passes(check.photo_pipeline, _fixed())
    testing.assert_passes(
        check.photo_pipeline,
        keras.Sequential(
            [
                layers.RandomFlip("horizontal"),
                layers.RandomRotation((-0.03, 0.03), fill_mode="constant"),
                layers.RandomBrightness(0.1, value_range=(0, 1)),
                layers.RandomContrast(0.2, value_range=(0, 1)),
            ]
        ),
    )


def test_photo_pipeline_rejects_the_near_misses():
    flip, turn, light = (
        layers.RandomFlip("horizontal"),
        layers.RandomRotation(0.02),
        layers.RandomBrightness(0.2, value_range=(0, 1)),
    )
    wrong = {
        # issue 23's near miss: the rotation dropped instead of fixed
        "no RandomRotation": keras.Sequential([flip, light]),
        "no RandomBrightness": keras.Sequential([flip, turn]),
        "no RandomFlip": keras.Sequential([turn, light]),
        "never turns anything": keras.Sequential([flip, layers.RandomRotation(0.0), light]),
        # "fixed" to a factor that is still +/-36 degrees
        "up to 36 degrees": keras.Sequential([flip, layers.RandomRotation(0.1), light]),
        "upside down": keras.Sequential([layers.RandomFlip(), turn, light]),
        "value_range=(0.0, 255.0)": keras.Sequential([flip, turn, layers.RandomBrightness(0.2)]),
    }
    for words, answer in wrong.items():
        testing.assert_rejects(check.photo_pipeline, answer, says=words)
    testing.assert_rejects_typed_evidence(check.photo_pipeline)


# --- Exercise 3 -------------------------------------------------------------------------------------------


def _pass(dataset):
    start = time.perf_counter()
    for _ in dataset:
        pass
    return time.perf_counter() - start


def _per_image(augment, images, batch_size):
    import tensorflow as tf

    dataset = (
        tf.data.Dataset.from_tensor_slices(images)
        .map(lambda x: augment(x, training=True), num_parallel_calls=tf.data.AUTOTUNE)
        .batch(batch_size)
    )
    return len(images) / _pass(dataset)


@pytest.mark.slow
def test_images_per_second_accepts_a_timed_pass_mapped_per_image():
    import tensorflow as tf

    testing.assert_not_attempted(check.images_per_second, ...)
    testing.assert_passes(check.images_per_second, _per_image)

    def best_of_two(augment, images, batch_size):  # a second right way: the better of two passes
        dataset = tf.data.Dataset.from_tensor_slices(images).map(lambda x: augment(x, training=True))
        return max(len(images) / _pass(dataset.batch(batch_size)) for _ in range(2))

    testing.assert_passes(check.images_per_second, best_of_two)


@pytest.mark.slow
def test_images_per_second_rejects_the_near_misses():
    import tensorflow as tf

    def batch_then_map(augment, images, batch_size):  # issue 23's near miss, which the task forbids
        dataset = tf.data.Dataset.from_tensor_slices(images).batch(batch_size)
        return len(images) / _pass(dataset.map(lambda x: augment(x, training=True)))

    def whole_array(augment, images, batch_size):
        start = time.perf_counter()
        augment(images, training=True)
        return len(images) / (time.perf_counter() - start)

    def batches_per_second(augment, images, batch_size):
        return _per_image(augment, images, batch_size) / batch_size

    def seconds_per_image(augment, images, batch_size):
        return 1 / _per_image(augment, images, batch_size)

    def typed(augment, images, batch_size):  # a number typed in, no pipeline at all
        return 2500.0

    def half_the_images(augment, images, batch_size):
        return _per_image(augment, images[: len(images) // 2], batch_size)

    def timed_before_the_pass(augment, images, batch_size):  # the clock stops before the loop
        dataset = tf.data.Dataset.from_tensor_slices(images).map(lambda x: augment(x, training=True))
        start = time.perf_counter()
        elapsed = time.perf_counter() - start
        _pass(dataset.batch(batch_size))
        return len(images) / max(elapsed, 1e-9)

    wrong = {
        "called on whole batches": batch_then_map,
        "whole array at once": whole_array,
        "batches per second": batches_per_second,
        "seconds per image": seconds_per_image,
        "never called the augmentation": typed,
        "not on whole passes": half_the_images,
        "higher than your own function's pass allows": timed_before_the_pass,
    }
    for words, answer in wrong.items():
        testing.assert_rejects(check.images_per_second, answer, says=words)
    testing.assert_rejects_typed_evidence(check.images_per_second)


# --- Exercise 4 -------------------------------------------------------------------------------------------


def _make_cnn():
    return keras.Sequential(
        [
            layers.Conv2D(32, 3, padding="same", activation="relu"),
            layers.Conv2D(32, 3, padding="same", activation="relu"),
            layers.MaxPooling2D(),
            layers.Flatten(),
            layers.Dense(128, activation="relu"),
            layers.Dense(10),
        ]
    )


def _recipe(pixels):
    """A recipe that trains one CNN per shift in ``pixels`` and keeps the best on the validation it gets."""

    def recipe(x_train, y_train, x_val, y_val, seed):
        models = []
        for p in pixels:
            keras.utils.set_random_seed(seed)
            cnn = _make_cnn()
            shift = [layers.RandomTranslation(p / 8, p / 8, fill_mode="constant", interpolation="nearest")] if p else []
            models.append(keras.Sequential([keras.Input(shape=(8, 8, 1)), *shift, cnn]))
        schedule = keras.optimizers.schedules.CosineDecay(3e-3, decay_steps=300)
        augreg.fit_in_parallel(
            models,
            [x_train] * len(models),
            [y_train] * len(models),
            seeds=[seed] * len(models),
            steps=300,
            optimizer=keras.optimizers.Adam(learning_rate=schedule),
            loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        )
        scores = [augreg.accuracy(m, x_val, y_val) for m in models]
        return models[int(np.argmax(scores))]

    return recipe


@pytest.mark.slow
def test_digits_that_wander_accepts_a_recipe_that_chooses_the_shift_on_wandering_validation():
    testing.assert_not_attempted(check.digits_that_wander, ...)
    testing.assert_passes(check.digits_that_wander, _recipe([1, 2, 3]))


@pytest.mark.slow
def test_digits_that_wander_rejects_doing_nothing_and_the_lessons_shifts_without_a_test_number():
    for pixels in ([0], [1]):  # no augmentation; the lesson's one-pixel shifts
        result = testing.grade(check.digits_that_wander, _recipe(pixels))
        assert not result.passed
        assert "below the bound" in result.message and "sealed" in result.message
        assert "wandering test digits and" not in result.message  # no test number shown on a miss


def test_digits_that_wander_cannot_be_passed_with_a_model_or_the_notebooks_data():
    from augreg.checks import working_split

    data = working_split(n_train=100, seed=0)

    def notebook_model(x_train, y_train, x_val, y_val, seed):  # trained on the notebook's own labels
        keras.utils.set_random_seed(seed)
        model = keras.Sequential([keras.Input(shape=(8, 8, 1)), layers.Flatten(), layers.Dense(10)])
        model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        model.fit(data.x_train, data.y_train, epochs=5, verbose=0)
        return model

    result = testing.grade(check.digits_that_wander, notebook_model)
    assert not result.passed
    testing.assert_rejects_typed_evidence(check.digits_that_wander)
    testing.assert_rejects(check.digits_that_wander, lambda *args: None, says="returned None")


# --- Check yourself ---------------------------------------------------------------------------------------


def test_the_questions_are_lesson_02s_and_explain_every_answer():
    from augreg.checks import FAILED, PASSED

    questions = check._set._questions
    assert sorted(questions) == [1, 2, 3, 4, 5]
    assert len({q.answer for q in questions.values()}) >= 3  # the right letter varies
    for number, question in questions.items():
        wrong = next(letter for letter in question.letters if letter != question.answer)
        result = check.quiz(number, wrong)
        assert result.status == FAILED and question.explanation.split()[0] in result.message
        assert check.quiz(number, question.answer).status == PASSED
    from augreg.claims import repository_root

    lesson = (repository_root() / "lessons" / "02-augmentation.md").read_text()
    assert 'RandomFlip("horizontal")`, for a digit' not in lesson  # the question is about what was run
