#!/usr/bin/env python3
"""Writes test/integration/workspace/renderer.ipynb: a notebook whose outputs are already filled in with
Conv Lens's MIME types, as a user's saved notebook would be (no kernel runs in the tests).

  cell 1  TinyNet, with the static profile `convlens profile --convention all` gives (CLI JSON report)
  cell 2  the runtime profile media/python/convlens_runtime.py records with real PyTorch
  cell 3  a convolution playground preset (application/vnd.convlens.conv+json)
  cell 4  broken and hostile outputs: an unknown schema, HTML in names, a conv payload with a typo
  cell 5  Wide, without outputs: the integration test runs "Profile this cell" on it

Run from the repository root after `npm run build` (needs /usr/bin/python3 with torch):
  python3 test/integration/scripts/makeRendererNotebook.py
"""
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
PROFILE_MIME = "application/vnd.convlens.profile+json"
CONV_MIME = "application/vnd.convlens.conv+json"
NAME = "renderer.ipynb"

TINYNET = '''import torch.nn as nn


# convlens: input 1x3x32x32
class TinyNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, padding=1)
        self.bn = nn.BatchNorm2d(8)
        self.relu = nn.ReLU()
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(8, 10)

    def forward(self, x):
        x = self.relu(self.bn(self.conv(x)))
        return self.fc(self.pool(x).flatten(1))'''

RUNTIME_CELL = '''from convlens_runtime import profile

profile(TinyNet(), (1, 3, 32, 32))'''

CONV = {"variant": "depthwiseSeparable", "inChannels": 8, "outChannels": 16, "kernelSize": 3, "padding": 1,
        "inputSize": 12, "label": "TinyNet-sized depthwise-separable block"}
CONV_CELL = '''from IPython.display import display

display({"%s": %s}, raw=True)''' % (CONV_MIME, json.dumps(CONV))

HOSTILE_NAME = '<img src=x onerror="document.title=1">'
HOSTILE_CELL = "# Outputs a broken tool might produce: Conv Lens must show errors or plain text, never run them."

WIDE = '''# convlens: input 1x3x64x64
class Wide(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 32, 5, padding=2)
        self.head = nn.Linear(32, 4)

    def forward(self, x):
        return self.head(self.conv(x).mean((2, 3)))'''


def lines(text):
    parts = text.split("\n")
    return [p + "\n" for p in parts[:-1]] + [parts[-1]]


def code(cell_id, source, outputs=()):
    return {"cell_type": "code", "id": cell_id, "metadata": {}, "source": lines(source),
            "execution_count": None, "outputs": list(outputs)}


def display_data(mime, payload, text):
    return {"output_type": "display_data", "metadata": {}, "data": {mime: payload, "text/plain": [text]}}


def static_report(tmp):
    model = os.path.join(tmp, "tinynet.py")
    with open(model, "w") as f:
        f.write(TINYNET + "\n")
    out = subprocess.run(["node", os.path.join(ROOT, "dist", "cli.js"), "profile", model, "--format", "json", "--convention", "all"],
                         check=True, capture_output=True, text=True).stdout
    report = json.loads(out)
    report["file"] = NAME
    for layer in report["layers"]:
        layer["file"] = NAME
    return report


def runtime_payload(tmp):
    script = ("import sys, json; sys.path[:0] = [%r, %r]\n"
              "from tinynet import TinyNet\nfrom convlens_runtime import profile\n"
              "print(json.dumps(profile(TinyNet(), (1, 3, 32, 32), display=False)))") % (tmp, os.path.join(ROOT, "media", "python"))
    return json.loads(subprocess.run(["/usr/bin/python3", "-c", script], check=True, capture_output=True, text=True).stdout)


def main():
    with tempfile.TemporaryDirectory() as tmp:
        report = static_report(tmp)
        runtime = runtime_payload(tmp)
    hostile = json.loads(json.dumps(report))
    hostile["entry"] = HOSTILE_NAME
    hostile["layers"][0]["path"] = HOSTILE_NAME
    hostile["layers"][0]["type"] = "<script>document.title=2</script>"
    hostile["diagnostics"] = [{"severity": "warning", "message": "<b>bold?</b> & <i>no</i>"}]
    cells = [
        {"cell_type": "markdown", "id": "intro", "metadata": {}, "source": ["Conv Lens renderer fixture (see test/integration/scripts/makeRendererNotebook.py)."]},
        code("tinynet", TINYNET, [display_data(PROFILE_MIME, report, "Conv Lens static profile: TinyNet()")]),
        code("runtime", RUNTIME_CELL, [display_data(PROFILE_MIME, runtime, "Conv Lens runtime profile: TinyNet")]),
        code("conv", CONV_CELL, [display_data(CONV_MIME, CONV, "Conv Lens playground")]),
        code("hostile", HOSTILE_CELL, [
            display_data(PROFILE_MIME, {"schema": "convlens.runtime/9", "name": "x"}, "unknown schema"),
            display_data(PROFILE_MIME, hostile, "hostile names"),
            display_data(CONV_MIME, {"kernal_size": 3}, "typo"),
        ]),
        code("wide", WIDE),
    ]
    nb = {"cells": cells, "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                                       "language_info": {"name": "python"}}, "nbformat": 4, "nbformat_minor": 5}
    path = os.path.join(ROOT, "test", "integration", "workspace", NAME)
    with open(path, "w") as f:
        json.dump(nb, f, indent=1)
        f.write("\n")
    print("wrote", path)


if __name__ == "__main__":
    sys.exit(main())
