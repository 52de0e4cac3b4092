"""Pillow: files, modes, sizes, removed constants."""
from __future__ import annotations

from ..case import CaseSet
from .common import SIZES, lab, vary

IMAGES = ["photo.jpg", "cat.png", "images/dog.jpg", "data/sample_01.png", "input/scan.tif", "frame_000.jpg"]


def build():
    s = CaseSet("pillow")
    s.add("open-missing", ename="FileNotFoundError", labels=lab("IO/ENV", "ML", "DATAP", "PIL"),
          cells=["from PIL import Image", "$img = Image.open('$f')"], variants=vary(6, "om", img=["img", "image", "im", "photo", "pic", "frame"], f=IMAGES))
    s.add("not-an-image", ename="UnidentifiedImageError", labels=lab("IO/DATA", "ML", "DATAP", "PIL", et="unsupported file type (read file)"),
          cells=["with open('$f', 'w') as h:\n    h.write('not an image')", "from PIL import Image\n$img = Image.open('$f')"],
          variants=vary(5, "na", img=["img", "image", "im", "photo", "pic"], f=["a.png", "b.jpg", "scan.png", "x.jpeg", "t.gif"]))
    s.add("antialias-removed", ename="AttributeError", labels=lab("ATTR/LIB", "ML", "DATAP", "PIL"),
          cells=["from PIL import Image\n$img = Image.new('RGB', ($n, $n))", "small = $img.resize(($n // 2, $n // 2), Image.ANTIALIAS)"],
          variants=vary(5, "aa", img=["img", "image", "im", "photo", "pic"], n=[32, 64, 28, 48, 100]))
    s.add("jpeg-rgba", ename="OSError", labels=lab("IO/DATA", "ML", "DATAP", "PIL", et="unsupported file type (read file)"),
          cells=["from PIL import Image\n$img = Image.new('RGBA', ($n, $n))", "$img.save('$f')"],
          variants=vary(5, "jr", img=["img", "image", "im", "photo", "pic"], n=[32, 64, 28, 48, 100], f=["out.jpg", "thumb.jpeg", "a.jpg", "b.jpg", "c.jpeg"]))
    s.add("fromarray-dtype", ename="TypeError", labels=lab("TYPE/DATA", "ML", "DATAP", "PIL"),
          cells=["import numpy as np\nfrom PIL import Image\n$a = np.random.rand($n, $n, 3)", "$img = Image.fromarray($a)"],
          variants=vary(5, "fa", a=["arr", "pixels", "pred", "mask", "out"], img=["img", "image", "im", "photo", "pic"], n=SIZES))
    s.add("crop-coords", ename="ValueError", labels=lab("IARG/API", "ML", "DATAP", "PIL", rc="invalid argument"),
          cells=["from PIL import Image\n$img = Image.new('L', ($n, $n))", "part = $img.crop(($n, 0, 0, $n))"],
          variants=vary(5, "cc", img=["img", "image", "im", "photo", "pic"], n=[32, 64, 28, 48, 100]))
    s.add("bad-mode", ename="ValueError", labels=lab("IARG/API", "ML", "DATAP", "PIL", rc="invalid argument"),
          cells=["from PIL import Image\n$img = Image.new('RGB', ($n, $n))", "gray = $img.convert('$mode')"],
          variants=vary(5, "bm", img=["img", "image", "im", "photo", "pic"], n=[32, 64, 28, 48, 100], mode=["GRAY", "grey", "BW", "rgb", "Gray"]))
    return s.cases
