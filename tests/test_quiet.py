import subprocess
import sys


def test_import_tensorflow_quietly_prints_nothing_but_keeps_stderr_working():
    code = (
        "import sys, augreg\n"
        "keras = augreg.import_tensorflow_quietly()\n"
        "keras.layers.Dense(2)(keras.ops.ones((1, 3)))\n"
        "print('keras', keras.__version__)\n"
        "print('still here', file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("keras 3.")
    assert result.stderr == "still here\n", f"unexpected output on stderr:\n{result.stderr}"
