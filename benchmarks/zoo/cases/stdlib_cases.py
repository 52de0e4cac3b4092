"""Plain Python and the standard library: names, types, files, JSON, network, intent."""
from __future__ import annotations

from ..case import CaseSet
from .common import COLUMNS, FILES, FRAMES, FUNCS, SEEDS, SIZES, lab, vary

ITEMS = ["scores", "names", "rows", "results", "tokens", "paths", "prices", "ids"]
KEYS = ["'lr'", "'epochs'", "'batch'", "'name'", "'path'", "'seed'", "'dropout'", "'momentum'"]


def build():
    s = CaseSet("stdlib")
    s.add("undefined-variable", ename="NameError", labels=lab("VNF/IMPL", "PY", "NONE", rc="undefined variable"),
          cells=["$items = [$n, $n + 1, $n + 2]", "total = sum($items) + $missing"],
          variants=vary(6, "uv", items=ITEMS, n=SIZES, missing=["offset", "bias", "extra", "count", "base", "delta"]))
    s.add("typo-variable", ename="NameError", labels=lab("VNF/IMPL", "PY", "NONE", rc="typo"),
          cells=["$name = [$n, $n * 2, $n * 3]", "print(len(${name}s))"],
          variants=vary(6, "tv", name=["value", "item", "result", "count", "word", "score"], n=SIZES))
    s.add("undefined-function", ename="NameError", labels=lab("NAME/IMPL", "PY", "NONE", rc="undefined function"),
          cells=["$items = list(range($n))", "out = $func($items)"],
          variants=vary(6, "uf", items=ITEMS, n=SIZES, func=FUNCS))
    s.add("not-imported", ename="NameError", labels=lab("MODULE/IMPL", "PY", "NONE", rc="did not import"),
          cells=["$items = [$n, 3, 1]", "$mod.$call($items)"],
          variants=[{"items": i, "n": n, "mod": m, "call": c} for i, n, (m, c) in zip(
              ITEMS, SIZES, [("math", "prod"), ("random", "shuffle"), ("statistics", "mean"), ("json", "dumps"),
                             ("os", "listdir"), ("itertools", "chain")])])
    s.add("module-not-installed", ename="ModuleNotFoundError",
          labels=lab("MODULE/ENV", "PY", "ENVS", rc="module not installed"),
          cells=["import os\nimport $mod"],
          variants=[{"mod": m} for m in ["squarify", "tqdm_notebook_extras", "pyfiglet", "colorama_plus",
                                         "kaggle_secrets", "google.colab"]])
    s.add("file-missing", ename="FileNotFoundError", labels=lab("IO/ENV", "PY", "DATAP"),
          cells=["with open('$path') as handle:\n    lines = handle.readlines()"],
          variants=[{"path": p} for p in FILES[:6]])
    s.add("mkdir-exists", ename="FileExistsError",
          labels=lab("IO/ENV", "PY", "DATAP", et="fileexistserror", rc="settings(permission, environment)"),
          cells=["import os\nos.mkdir('$d')", "os.mkdir('$d')"],
          variants=[{"d": d} for d in ["data2", "output", "models", "checkpoints", "plots", "results"]])
    s.add("json-decode", ename="JSONDecodeError", labels=lab("IO/IMPL", "PY", "DATAP", et="jsondecodeerror"),
          cells=["import json\nwith open('$f', 'w') as h:\n    h.write($text)", "with open('$f') as h:\n    config = json.load(h)"],
          variants=vary(6, "jd", f=["config.json", "params.json", "meta.json", "settings.json", "labels.json"],
                        text=["\"{'lr': 0.1}\"", "\"\"", "\"lr=0.1\\n\"", "\"{\\\"a\\\": 1,}\"", "\"[1, 2,\"", "\"None\""]))
    s.add("zero-division", ename="ZeroDivisionError", labels=lab("OTHER/IMPL", "PY", "NONE", et="zerodivisionerror"),
          cells=["$items = []", "mean = sum($items) / len($items)"],
          variants=vary(6, "zd", items=ITEMS))
    s.add("list-index", ename="IndexError", labels=lab("INDEX/IMPL", "PY", "NONE", et="indexerror-1d"),
          cells=["$items = [$n, $n + 1, $n + 2]", "last = $items[3]"],
          variants=vary(6, "li", items=ITEMS, n=SIZES))
    s.add("dict-key", ename="KeyError", labels=lab("KEY/IMPL", "PY", "NONE"),
          cells=["$cfg = {'lr': 0.01, 'epochs': $n}", "value = $cfg[$key]"],
          variants=vary(6, "dk", cfg=["config", "params", "settings", "hparams", "options", "cfg"], n=SIZES,
                        key=["'batch'", "'name'", "'seed'", "'dropout'", "'momentum'", "'path'"]))
    s.add("str-plus-int", ename="TypeError", labels=lab("TYPE/IMPL", "PY", "NONE", et="typeerror-op"),
          cells=["$count = $n", "message = 'total: ' + $count"],
          variants=vary(6, "si", count=["count", "total", "n_rows", "epochs", "size", "step"], n=SIZES))
    s.add("not-callable", ename="TypeError", labels=lab("TYPE/IMPL", "PY", "NONE", et="typeerror-notcallable"),
          cells=["$items = [$n, 2, 3]\nsum = 0", "for v in $items:\n    sum += v", "total = sum($items)"],
          variants=vary(6, "nc", items=ITEMS, n=SIZES))
    s.add("none-subscript", ename="TypeError", labels=lab("TYPE/IMPL", "PY", "NONE", et="typeerror-notsubscriptable"),
          cells=["def $func(values):\n    values.sort()\n", "$items = $func([$n, 1, 2])\nfirst = $items[0]"],
          variants=vary(6, "ns", func=FUNCS, items=ITEMS, n=SIZES))
    s.add("not-iterable", ename="TypeError", labels=lab("TYPE/IMPL", "PY", "NONE", et="typeerror-notiterable"),
          cells=["$count = $n", "for i in $count:\n    print(i)"],
          variants=vary(6, "ni", count=["n", "count", "epochs", "size", "steps", "k"], n=SIZES))
    s.add("unhashable", ename="TypeError", labels=lab("TYPE/IMPL", "PY", "NONE", et="typeerror-unhashable"),
          cells=["$seen = {}\n$seen[[$n, 2]] = 'pair'"],
          variants=vary(6, "uh", seen=["cache", "seen", "lookup", "counts", "index", "memo"], n=SIZES))
    s.add("unpack", ename="ValueError", labels=lab("VALUE/IMPL", "PY", "NONE", et="valueerror - data range mismatch"),
          cells=["$items = [$n, 2, 3]", "a, b = $items"], variants=vary(6, "up", items=ITEMS, n=SIZES))
    s.add("int-cast", ename="ValueError", labels=lab("VALUE/DATA", "PY", "DATAP", et="cast exception"),
          cells=["$raw = ['$n', '$v', '7']", "numbers = [int(x) for x in $raw]"],
          variants=vary(6, "ic", raw=["raw", "fields", "tokens", "cells", "parts", "strings"], n=SIZES,
                        v=["10,000+", "46.0", "n/a", "", "3 kg", "1e3"]))
    s.add("syntax", ename="SyntaxError", labels=lab("OTHER/IMPL", "PY", "NONE", et="syntaxerror", rc="typo"),
          cells=["$items = [1, 2, 3]\nfor v in $items\n    print(v)"], variants=vary(6, "sx", items=ITEMS))
    s.add("indentation", ename="IndentationError", labels=lab("OTHER/IMPL", "PY", "NONE", et="indentationerror", rc="typo"),
          cells=["def $func(x):\nreturn x * $n"], variants=vary(6, "ie", func=FUNCS, n=SIZES))
    s.add("assert-intent", ename="AssertionError",
          labels=lab("OTHER/INTENT", "PY", "NONE", et="assertionerror"),
          cells=["$value = $n * 2", "assert $value == $n, 'expected $value to equal $n'"],
          variants=vary(6, "ai", value=["result", "answer", "total", "out", "got", "computed"], n=SIZES))
    s.add("raise-intent", ename="NotImplementedError", labels=lab("OTHER/INTENT", "PY", "NONE"),
          cells=["def $func(x):\n    raise NotImplementedError('$func is an exercise: write it')", "$func($n)"],
          variants=vary(6, "ri", func=FUNCS, n=SIZES))
    s.add("raise-demo", ename="ValueError", labels=lab("VALUE/INTENT", "PY", "NONE"),
          cells=["def $func(x):\n    if x < 0:\n        raise ValueError('negative values are not allowed')\n    return x ** 0.5",
                 "# the check at work: this call raises on purpose\n$func(-$n)"],
          variants=vary(5, "rd", func=["checked_sqrt", "validate", "safe_root", "positive_only", "guard"], n=SIZES))
    s.add("memory", ename="MemoryError", labels=lab("OOM/RSC", "PY", "NONE"),
          cells=["$buf = bytearray($n * 10**13)"], variants=vary(5, "me", buf=["buffer", "blob", "data", "raw", "cache"], n=[1, 2, 3, 5, 8]))
    s.add("list-memory", ename="MemoryError", labels=lab("OOM/RSC", "PY", "NONE"),
          cells=["$grid = [0.0] * ($n * 10**12)"], variants=vary(4, "lm", grid=["grid", "table", "cells", "slots"], n=[2, 3, 4, 6]))
    s.add("connection-refused", ename="URLError",
          labels=lab("RERR/ENV", "PY", "DATAP", rc="settings(permission, environment)"),
          cells=["import urllib.request", "page = urllib.request.urlopen('http://127.0.0.1:$port/$path', timeout=2)"],
          variants=vary(6, "cr", port=[9, 1, 7, 13, 19, 37], path=["data.csv", "api/v1/items", "index.html", "train.zip"]))
    s.add("socket-refused", ename="ConnectionRefusedError",
          labels=lab("RERR/ENV", "PY", "DATAP", rc="settings(permission, environment)"),
          cells=["import socket\nconn = socket.create_connection(('127.0.0.1', $port), timeout=2)"],
          variants=vary(4, "sr", port=[9, 1, 7, 13]))
    s.add("subprocess-fails", ename="CalledProcessError", labels=lab("OTHER/UNK", "PY", "ENVS"),
          cells=["import subprocess\nout = subprocess.check_output(['$tool'$args])"],
          variants=[{"tool": t, "args": a} for t, a in [("false", ""), ("ls", ", '/nonexistent_dir_zoo'"),
                                                        ("sh", ", '-c', 'exit 3'"), ("grep", ", 'zzz', '/dev/null'")]])
    s.add("executable-missing", ename="FileNotFoundError",
          labels=lab("OTHER/ENV", "PY", "ENVS", et="executablenotfound", rc="module not installed"),
          cells=["import subprocess\nsubprocess.run(['$tool', '--version'], check=True)"],
          variants=[{"tool": t} for t in ["nvidia-smi-zoo", "kaggle-zoo", "ffmpeg-zoo", "graphviz-dot-zoo"]])
    s.add("recursion", ename="RecursionError", labels=lab("OTHER/IMPL", "PY", "NONE"),
          cells=["def $func(n):\n    return n * $func(n - 1)", "$func($n)"], variants=vary(4, "rc", func=["fact", "fib", "walk", "depth"], n=SIZES))
    s.add("dict-changed", ename="RuntimeError", labels=lab("RUNTIME/IMPL", "PY", "NONE"),
          cells=["$cfg = {'a': 1, 'b': $n, 'c': 3}", "for k in $cfg:\n    if $cfg[k] > 1:\n        del $cfg[k]"],
          variants=vary(4, "dc", cfg=["counts", "config", "cache", "index"], n=SIZES))
    s.add("attr-none", ename="AttributeError", labels=lab("ATTR/IMPL", "PY", "NONE"),
          cells=["$items = [$n, 2, 1]\n$items = $items.sort()", "$items.append(4)"],
          variants=vary(5, "an", items=ITEMS, n=SIZES))
    s.add("is-directory", ename="IsADirectoryError", labels=lab("IARG/IMPL", "PY", "DATAP", rc="typo"),
          cells=["import os\nos.makedirs('$d', exist_ok=True)", "with open('$d') as h:\n    text = h.read()"],
          variants=[{"d": d} for d in ["dataset", "images", "input", "corpus"]])
    return s.cases
