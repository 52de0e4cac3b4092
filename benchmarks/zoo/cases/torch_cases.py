"""PyTorch on the CPU: shapes, dtypes, autograd, devices, memory, model loading."""
from __future__ import annotations

from ..case import CaseSet
from .common import SEEDS, SIZES, lab, vary

NETS = ["net", "model", "mlp", "classifier", "encoder", "head"]
BATCH = [4, 8, 16, 32, 6, 10]


def _rows(count, seed, **extra):
    return vary(count, seed, m=NETS, b=BATCH, i=[3, 5, 7, 10, 12, 20], seed=SEEDS,
                x=["x", "inputs", "batch", "xb", "features", "images"], **extra)


def build():
    s = CaseSet("torch")
    s.add("linear-in", ename="RuntimeError", labels=lab("TSHAPE/MODEL", "ML", "TRAIN", "torch"),
          cells=["import torch\nfrom torch import nn\ntorch.manual_seed($seed)\n$m = nn.Linear($i, 2)\n$x = torch.randn($b, $i + 1)", "out = $m($x)"],
          variants=_rows(6, "li"))
    s.add("view-size", ename="RuntimeError", labels=lab("TSHAPE/DATA", "ML", "TRAIN", "torch"),
          cells=["import torch\n$x = torch.randn($b, $i)", "flat = $x.view($b, $i + 1)"], variants=_rows(6, "vs"))
    s.add("cat-dims", ename="RuntimeError", labels=lab("TSHAPE/DATA", "ML", "DATAP", "torch"),
          cells=["import torch\n$x = torch.randn($b, $i)\nextra = torch.randn($b + 1, $i)", "both = torch.cat([$x, extra], dim=1)"], variants=_rows(5, "cd"))
    s.add("elementwise", ename="RuntimeError", labels=lab("BCAST/DATA", "ML", "TRAIN", "torch"),
          cells=["import torch\n$x = torch.randn($b, $i)\nmask = torch.ones($b, $i + 2)", "masked = $x * mask"], variants=_rows(5, "ew"))
    s.add("loss-batch", ename="ValueError", labels=lab("TSHAPE/DATA", "ML", "TRAIN", "torch"),
          cells=["import torch\nfrom torch import nn\nlogits = torch.randn($b, 3)\ntarget = torch.randint(0, 3, ($b + 2,))", "loss = nn.CrossEntropyLoss()(logits, target)"],
          variants=_rows(5, "lb"))
    s.add("target-range", ename="IndexError", labels=lab("INDEX/DATA", "ML", "TRAIN", "torch"),
          cells=["import torch\nfrom torch import nn\nlogits = torch.randn($b, 3)\ntarget = torch.full(($b,), $i)", "loss = nn.functional.nll_loss(logits.log_softmax(1), target)"],
          variants=_rows(5, "tr"))
    s.add("embedding-range", ename="IndexError", labels=lab("INDEX/MODEL", "ML", "TRAIN", "torch", et="indexerror-1d"),
          cells=["import torch\nfrom torch import nn\n$m = nn.Embedding($i, 4)\ntokens = torch.tensor([[1, 2, $i]])", "vectors = $m(tokens)"],
          variants=_rows(5, "er"))
    s.add("dtype-mismatch", ename="RuntimeError", labels=lab("TYPE/DATA", "ML", "TRAIN", "torch"),
          cells=["import numpy as np\nimport torch\nfrom torch import nn\n$m = nn.Linear($i, 1)\n$x = torch.from_numpy(np.ones(($b, $i)))", "out = $m($x)"],
          variants=_rows(6, "dm"))
    s.add("long-target", ename="RuntimeError", labels=lab("TYPE/DATA", "ML", "TRAIN", "torch"),
          cells=["import torch\nfrom torch import nn\npred = torch.randn($b, 1)\ny = torch.randint(0, 2, ($b, 1))", "loss = nn.BCEWithLogitsLoss()(pred, y)"],
          variants=_rows(4, "lt"))
    s.add("backward-twice", ename="RuntimeError", labels=lab("INIT/API", "ML", "TRAIN", "torch"),
          cells=["import torch\nw = torch.randn($i, requires_grad=True)\nloss = (w.exp() ** 2).sum()", "loss.backward()", "loss.backward()"],
          variants=_rows(5, "bt"))
    s.add("no-grad-fn", ename="RuntimeError", labels=lab("RUNTIME/API", "ML", "TRAIN", "torch"),
          cells=["import torch\n$x = torch.randn($b, $i)\nloss = ($x ** 2).mean()", "loss.backward()"], variants=_rows(5, "ng"))
    s.add("numpy-grad", ename="RuntimeError", labels=lab("RUNTIME/API", "ML", "EVAL", "torch"),
          cells=["import torch\nfrom torch import nn\n$m = nn.Linear($i, 2)\nout = $m(torch.randn($b, $i))", "arr = out.numpy()"], variants=_rows(5, "np"))
    s.add("cuda-missing", ename="AssertionError", labels=lab("ENV/ENV", "ML", "TRAIN", "torch", et="environment setup", rc="settings(permission, environment)"),
          cells=["import torch\nfrom torch import nn\n$m = nn.Linear($i, 2)", "$m = $m.cuda()"], variants=_rows(4, "cu"))
    s.add("tensor-to-cuda", ename="AssertionError", labels=lab("ENV/ENV", "ML", "EVAL", "torch", et="environment setup", rc="settings(permission, environment)"),
          cells=["import torch\n$x = torch.randn($b)", "$x = $x.to('cuda')"], variants=_rows(4, "cl"))
    s.add("state-dict", ename="RuntimeError", labels=lab("IARG/MODEL", "ML", "EVAL", "torch"),
          cells=["import torch\nfrom torch import nn\ntorch.save(nn.Linear($i, 2).state_dict(), 'weights.pt')",
                 "$m = nn.Linear($i + 1, 2)\n$m.load_state_dict(torch.load('weights.pt'))"], variants=_rows(5, "sd"))
    s.add("weights-missing", ename="FileNotFoundError", labels=lab("IO/ENV", "ML", "MCONS", "torch"),
          cells=["import torch", "state = torch.load('$f')"], variants=_rows(4, "wm", f=["best.pt", "checkpoints/model.pth", "weights/last.pt", "resnet18.pth"]))
    s.add("oom", ename="RuntimeError", labels=lab("OOM/RSC", "ML", "TRAIN", "torch"),
          cells=["import torch", "$x = torch.empty($b * 10**12)"], variants=_rows(5, "om"))
    s.add("multinomial", ename="RuntimeError", labels=lab("DVIOL/DATA", "ML", "EVAL", "torch"),
          cells=["import torch\nprobs = torch.tensor([0.5, -0.1, 0.6])", "sample = torch.multinomial(probs, $b, replacement=True)"], variants=_rows(4, "mn"))
    s.add("not-subscriptable", ename="TypeError", labels=lab("TYPE/API", "ML", "TRAIN", "torch", et="typeerror-notsubscriptable"),
          cells=["import torch\nfrom torch.utils.data import DataLoader, TensorDataset\nloader = DataLoader(TensorDataset(torch.randn($b * 2, $i)), batch_size=$b)", "first = loader[0]"],
          variants=_rows(5, "ns"))
    s.add("forward-missing", ename="NotImplementedError", labels=lab("OTHER/IMPL", "ML", "MCONS", "torch"),
          cells=["import torch\nfrom torch import nn\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear($i, 2)\n    def foward(self, x):\n        return self.fc(x)",
                 "$m = Net()\nout = $m(torch.randn($b, $i))"], variants=_rows(4, "fm"))
    s.add("super-init", ename="AttributeError", labels=lab("ATTR/IMPL", "ML", "MCONS", "torch"),
          cells=["import torch\nfrom torch import nn\nclass Net(nn.Module):\n    def __init__(self):\n        self.fc = nn.Linear($i, 2)", "$m = Net()"],
          variants=_rows(4, "si"))
    return s.cases
