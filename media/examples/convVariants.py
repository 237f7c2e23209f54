# Conv Lens example: the convolution variants of the seed note ("各种卷积方法"), side by side.
# Profile it:   npm run demo      (or: node dist/cli.js profile media/examples/convVariants.py)
# Every branch maps 32 channels at 64x64 to 64 channels; compare their params and MACs.
import torch
import torch.nn as nn


class DSC(nn.Module):
    """Depthwise-separable convolution (MobileNet/Xception): depthwise 3x3, then pointwise 1x1."""

    def __init__(self, in_ch, out_ch):
        super(DSC, self).__init__()
        self.depth_conv = nn.Conv2d(in_channels=in_ch, out_channels=in_ch, kernel_size=3, stride=1, padding=1, groups=in_ch)
        self.point_conv = nn.Conv2d(in_channels=in_ch, out_channels=out_ch, kernel_size=1, stride=1, padding=0, groups=1)

    def forward(self, x):
        return self.point_conv(self.depth_conv(x))


class ACBlock(nn.Module):
    """Asymmetric convolution (ACNet): 3x3 + 3x1 + 1x3 branches, each with BatchNorm, summed.
    With deploy=True it is the single fused 3x3 conv the three branches fold into."""

    def __init__(self, in_channels, out_channels, kernel_size=3, padding=1, deploy=False):
        super().__init__()
        self.deploy = deploy
        if deploy:
            self.fused_conv = nn.Conv2d(in_channels, out_channels, (kernel_size, kernel_size), padding=padding, bias=True)
        else:
            self.square_conv = nn.Conv2d(in_channels, out_channels, (kernel_size, kernel_size), padding=padding, bias=False)
            self.square_bn = nn.BatchNorm2d(out_channels)
            self.ver_conv = nn.Conv2d(in_channels, out_channels, (kernel_size, 1), padding=(padding, 0), bias=False)
            self.ver_bn = nn.BatchNorm2d(out_channels)
            self.hor_conv = nn.Conv2d(in_channels, out_channels, (1, kernel_size), padding=(0, padding), bias=False)
            self.hor_bn = nn.BatchNorm2d(out_channels)

    def forward(self, x):
        if self.deploy:
            return self.fused_conv(x)
        return self.square_bn(self.square_conv(x)) + self.ver_bn(self.ver_conv(x)) + self.hor_bn(self.hor_conv(x))


# convlens: input 1x32x64x64
class ConvVariants(nn.Module):
    def __init__(self, cin=32, cout=64):
        super().__init__()
        self.standard = nn.Conv2d(cin, cout, kernel_size=3, padding=1)
        self.grouped = nn.Conv2d(cin, cout, kernel_size=3, padding=1, groups=4)
        self.dilated = nn.Conv2d(cin, cout, kernel_size=3, padding=2, dilation=2)
        self.separable = DSC(cin, cout)
        self.acblock = ACBlock(cin, cout)
        self.acblock_deploy = ACBlock(cin, cout, deploy=True)
        self.down = nn.Conv2d(cout, cout, kernel_size=2, stride=2)
        self.transposed = nn.ConvTranspose2d(cout, cout, kernel_size=2, stride=2)

    def forward(self, x):
        y = self.standard(x) + self.grouped(x) + self.dilated(x) + self.separable(x)
        y = y + self.acblock(x) + self.acblock_deploy(x)
        return self.transposed(self.down(y))
