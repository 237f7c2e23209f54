// The benchmark's model file: `lines` lines of ordinary PyTorch (residual blocks with grouped, depthwise and
// pointwise convs, each class buildable without arguments, so every one is an entry), plus a `Net` using
// the first blocks. Deterministic; written into the benchmark's workspace.

export function bigModelSource(lines: number): string {
  const out = ['import torch', 'import torch.nn as nn', ''];
  for (let i = 0; out.length < lines - 30; i++) {
    const c = 16 + (i % 4) * 16;
    out.push(
      `class Block${i}(nn.Module):`,
      `    def __init__(self, cin=${c}, cout=${c * 2}, stride=1):`,
      '        super().__init__()',
      '        self.conv1 = nn.Conv2d(cin, cout, kernel_size=3, stride=stride, padding=1, bias=False)',
      '        self.bn1 = nn.BatchNorm2d(cout)',
      '        self.relu = nn.ReLU(inplace=True)',
      `        self.conv2 = nn.Conv2d(cout, cout, kernel_size=3, padding=1, groups=${1 + (i % 2)}, bias=False)`,
      '        self.bn2 = nn.BatchNorm2d(cout)',
      '        self.dw = nn.Conv2d(cout, cout, 3, padding=1, groups=cout)',
      '        self.pw = nn.Conv2d(cout, cout, 1)',
      '        self.short = nn.Sequential(',
      '            nn.Conv2d(cin, cout, 1, stride=stride, bias=False),',
      '            nn.BatchNorm2d(cout),',
      '        )',
      '',
      '    def forward(self, x):',
      '        identity = self.short(x)',
      '        out = self.relu(self.bn1(self.conv1(x)))',
      '        out = self.bn2(self.conv2(out))',
      '        out = self.pw(self.dw(out))',
      '        return self.relu(out + identity)',
      '',
      '',
    );
  }
  out.push(
    'class Net(nn.Module):',
    '    def __init__(self, num_classes=1000):',
    '        super().__init__()',
    '        self.stem = nn.Conv2d(3, 16, 3, padding=1)',
    '        self.blocks = nn.Sequential(',
  );
  for (let j = 0; j < 16; j++) out.push(`            Block${j}(${j === 0 ? 16 : 32}, 32),`);
  out.push(
    '        )',
    '        self.pool = nn.AdaptiveAvgPool2d(1)',
    '        self.fc = nn.Linear(32, num_classes)',
    '',
    '    def forward(self, x):',
    '        x = self.blocks(self.stem(x))',
    '        return self.fc(torch.flatten(self.pool(x), 1))',
    '',
  );
  return out.join('\n');
}
