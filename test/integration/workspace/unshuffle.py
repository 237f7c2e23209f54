# Integration fixture (suite/editorInput.test.ts): a LOP-style in-loop filter whose first op is
# PixelUnshuffle(2), with no `# convlens: input` comment, so the input is inferred from the first conv
# (24 channels after the unshuffle: 6 at the input); and a model whose forward checks no channels.
from torch import nn


class LoopFilter(nn.Module):
    def __init__(self, planes=6, width=32):
        super().__init__()
        self.down = nn.PixelUnshuffle(2)
        self.head = nn.Conv2d(planes * 4, width, 3, padding=1)
        self.act = nn.PReLU()
        self.tail = nn.Conv2d(width, planes * 4, 3, padding=1)
        self.up = nn.PixelShuffle(2)

    def forward(self, x):
        y = self.act(self.head(self.down(x)))
        return x + self.up(self.tail(y))


class PoolOnly(nn.Module):
    def __init__(self):
        super().__init__()
        self.pool = nn.MaxPool2d(2)

    def forward(self, x):
        return self.pool(x)
