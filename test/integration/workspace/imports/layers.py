# Integration fixture (web suite): a helper in another file, so the analysis of net.py has to read this file
# through the workbench's file system (in the web extension host there is no disk).
import torch.nn as nn


def conv_bn(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout))
