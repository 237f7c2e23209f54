# Integration fixture (suite/editorInput.test.ts): imports a helper from vendor/blocks, which only
# resolves once vendor/ is a package root ("Choose the package root…").
from torch import nn
from blocks.helpers import conv_bn


# convlens: input (1, 3, 32, 32)
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = conv_bn(3, 16, bias=True)
        self.head = nn.Conv2d(16, 4, 1)

    def forward(self, x):
        return self.head(self.stem(x))
