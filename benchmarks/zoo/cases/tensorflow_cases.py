"""TensorFlow / Keras 3 on the CPU: input shapes, unbuilt models, losses, tensors."""
from __future__ import annotations

from ..case import CaseSet
from .common import MODELS, SEEDS, lab, vary

TF = "import os\nos.environ['TF_CPP_MIN_LOG_LEVEL'] = '3'\nimport numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras"


def _rows(count, seed, **extra):
    return vary(count, seed, m=MODELS, i=[3, 4, 5, 6, 8, 10], u=[8, 16, 4, 32, 12], seed=SEEDS,
                x=["x", "X_train", "inputs", "features", "xb", "data_x"], **extra)


def _model(units="$u"):
    return (f"$m = keras.Sequential([keras.Input(shape=($i,)), keras.layers.Dense({units}, activation='relu'), "
            "keras.layers.Dense(1)])")


def build():
    s = CaseSet("tensorflow")
    s.add("input-shape", ename="ValueError", labels=lab("TSHAPE/DATA", "ML", "TRAIN", "keras"),
          cells=[TF + "\n" + _model() + "\n$m.compile(optimizer='adam', loss='mse')",
                 "$x = np.random.rand(20, $i + 2)\n$m.fit($x, np.random.rand(20), epochs=1, verbose=0)"], variants=_rows(5, "is"))
    s.add("predict-shape", ename="ValueError", labels=lab("TSHAPE/DATA", "ML", "EVAL", "keras"),
          cells=[TF + "\n" + _model(), "pred = $m.predict(np.random.rand(4, $i, 2), verbose=0)"], variants=_rows(5, "ps"))
    s.add("not-built", ename="ValueError", labels=lab("INIT/MODEL", "ML", "MCONS", "keras"),
          cells=[TF + "\n$m = keras.Sequential([keras.layers.Dense($u), keras.layers.Dense(1)])", "$m.summary()\nprint($m.count_params())"],
          variants=_rows(5, "nb"))
    s.add("not-compiled", ename="ValueError", labels=lab("INIT/API", "ML", "TRAIN", "keras"),
          cells=[TF + "\n" + _model(), "$m.fit(np.random.rand(10, $i), np.random.rand(10), epochs=1, verbose=0)"], variants=_rows(5, "nc"))
    s.add("output-units", ename="ValueError", labels=lab("TSHAPE/MODEL", "ML", "TRAIN", "keras"),
          cells=[TF + "\n" + _model() + "\n$m.compile(optimizer='adam', loss='categorical_crossentropy')",
                 "y = keras.utils.to_categorical(np.arange(20) % 3, 3)\n$m.fit(np.random.rand(20, $i), y, epochs=1, verbose=0)"],
          variants=_rows(5, "ou"))
    s.add("unknown-loss", ename="ValueError", labels=lab("IARG/API", "ML", "MCONS", "keras", rc="invalid argument"),
          cells=[TF + "\n" + _model(), "$m.compile(optimizer='adam', loss='$l')\n$m.fit(np.random.rand(8, $i), np.random.rand(8), epochs=1, verbose=0)"],
          variants=_rows(5, "ul", l=["cross_entropy_loss", "mean_square_error", "binary_cross_entropy", "rmse", "categorical"]))
    s.add("unknown-activation", ename="ValueError", labels=lab("IARG/API", "ML", "MCONS", "keras", rc="invalid argument"),
          cells=[TF, "$m = keras.Sequential([keras.Input(shape=($i,)), keras.layers.Dense($u, activation='$a')])"],
          variants=_rows(5, "ua", a=["Relu", "leakyrelu", "rectifier", "soft_max", "sigmoidal"]))
    s.add("reshape", ename="InvalidArgumentError", labels=lab("TSHAPE/DATA", "ML", "DATAP", "tensorflow"),
          cells=[TF + "\nt = tf.range($u * 3)", "img = tf.reshape(t, [-1, $i, 7])"], variants=_rows(5, "rs"))
    s.add("matmul", ename="InvalidArgumentError", labels=lab("TSHAPE/DATA", "ML", "TRAIN", "tensorflow"),
          cells=[TF + "\na = tf.ones(($u, $i))\nb = tf.ones(($u, 2))", "c = tf.matmul(a, b)"], variants=_rows(5, "mm"))
    s.add("dtype", ename="InvalidArgumentError", labels=lab("TYPE/DATA", "ML", "DATAP", "tensorflow"),
          cells=[TF + "\na = tf.constant([1, 2, 3])\nb = tf.constant([0.5, 1.5, 2.5])", "c = tf.add(a, b)"], variants=_rows(4, "dt"))
    s.add("oom", ename="ResourceExhaustedError", labels=lab("OOM/RSC", "ML", "TRAIN", "tensorflow"),
          cells=[TF, "big = tf.zeros(($u * 100000, 100000, 1000))"], variants=_rows(4, "om"))
    s.add("load-missing", ename="ValueError", labels=lab("IO/ENV", "ML", "MCONS", "keras"),
          cells=[TF, "$m = keras.models.load_model('$f')"], variants=_rows(4, "lm", f=["best_model.keras", "saved.keras", "models/cnn.keras", "final.keras"]))
    s.add("h5-missing", ename="FileNotFoundError", labels=lab("IO/ENV", "ML", "MCONS", "keras"),
          cells=[TF, "$m = keras.models.load_model('$f')"], variants=_rows(4, "hm", f=["model.h5", "weights/model.h5", "best.h5", "cnn_v2.h5"]))
    s.add("numpy-graph", ename="AttributeError", labels=lab("ATTR/API", "ML", "TRAIN", "tensorflow"),
          cells=[TF, "@tf.function\ndef step(t):\n    return t.numpy() * 2", "step(tf.ones($i))"], variants=_rows(4, "ng"))
    return s.cases
