# Integration fixture (suite/editorInput.test.ts): a package helper that mutates its kwargs before
# building the layers, outside the workspace's import roots until `convlens.packageRoots` names vendor/.
from torch import nn


def conv_bn(cin, cout, **kwargs):
    kwargs.setdefault("padding", 1)
    kwargs["bias"] = False
    return nn.Sequential(nn.Conv2d(cin, cout, 3, **kwargs), nn.BatchNorm2d(cout))
