"""Import TensorFlow and Keras without the wall of log lines they print."""

from __future__ import annotations

import logging
import os
import sys


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
        import tensorflow as tf
        import keras

        tf.constant(0.0) + 1.0  # initialises the runtime, which logs once more
    finally:
        os.dup2(saved_fd, 2)
        os.close(saved_fd)
        os.close(devnull)
    tf.get_logger().setLevel(logging.ERROR)
    logging.getLogger("absl").setLevel(logging.ERROR)
    return keras
