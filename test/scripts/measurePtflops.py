"""Measures ptflops 0.7.6 totals (MACs, params) for test/fixtures/ptflops_measured.json.

Not run by the suite (ptflops is not a dependency). How the file was made:
    git clone https://github.com/sovrasov/flops-counter.pytorch P && git -C P checkout d612c75
    PTFLOPS=P /usr/bin/python3 test/scripts/measurePtflops.py > test/fixtures/ptflops_measured.json
with Debian's python3-torch 1.13 and python3-torchvision 0.14.1. ptflops builds its own batch of 1
from the input shape without the batch dimension, as get_model_complexity_info always does.
"""
import contextlib
import io
import json
import os
import sys

import torch
import torchvision

sys.path.insert(0, os.environ["PTFLOPS"])
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "fixtures", "python", "zoo"))
from ptflops import get_model_complexity_info  # noqa: E402
import unet  # noqa: E402

CASES = [
    # name, source file (repository-relative or torchvision-relative), entry, input shape
    ("deeplabv3_resnet50", "torchvision/models/segmentation/deeplabv3.py", "deeplabv3_resnet50(weights=None, weights_backbone=None)", [1, 3, 224, 224],
     lambda: torchvision.models.segmentation.deeplabv3_resnet50(weights=None, weights_backbone=None)),
    ("fcn_resnet50", "torchvision/models/segmentation/fcn.py", "fcn_resnet50(weights=None, weights_backbone=None)", [1, 3, 224, 224],
     lambda: torchvision.models.segmentation.fcn_resnet50(weights=None, weights_backbone=None)),
    ("unet_bilinear", "test/fixtures/python/zoo/unet.py", "UNet(n_channels=3, n_classes=2, bilinear=True)", [1, 3, 52, 52],
     lambda: unet.UNet(n_channels=3, n_classes=2, bilinear=True)),
]

out = {"tool": "ptflops 0.7.6 (sovrasov/flops-counter.pytorch @d612c75), backend='pytorch'", "torch": torch.__version__, "torchvision": torchvision.__version__, "models": []}
for name, file, entry, shape, build in CASES:
    model = build().eval()
    with contextlib.redirect_stdout(io.StringIO()), torch.no_grad():
        macs, params = get_model_complexity_info(model, tuple(shape[1:]), as_strings=False, print_per_layer_stat=False, backend="pytorch")
    out["models"].append({"name": name, "file": file, "entry": entry, "input": shape, "macs": macs, "params": params})
print(json.dumps(out, indent=1))
