# Integration fixture (web suite): a model whose stem comes from layers.py.
# expect: params = (8*3*3*3 + 2*8) + (4*8*1*1 + 4) = 268
import torch.nn as nn
from layers import conv_bn


# convlens: input 1x3x32x32
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = conv_bn(3, 8)
        self.head = nn.Conv2d(8, 4, 1)

    def forward(self, x):
        return self.head(self.stem(x))
