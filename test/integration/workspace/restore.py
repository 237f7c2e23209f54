# Integration fixture for the profile view's restore after a window reload (suite/profileRestore.test.ts):
# two entries and no `# convlens: input` comment, so the model, the convention and the input shape picked
# for the view all have a non-default value that must come back after the reload.
import torch.nn as nn


# convlens: entry Stem()
# convlens: entry Stem(32)
class Stem(nn.Module):
    def __init__(self, width=16):
        super().__init__()
        self.conv = nn.Conv2d(3, width, kernel_size=3, stride=2, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(width)
        self.relu = nn.ReLU(inplace=True)
        self.head = nn.Conv2d(width, 10, kernel_size=1)

    def forward(self, x):
        return self.head(self.relu(self.bn(self.conv(x))))
