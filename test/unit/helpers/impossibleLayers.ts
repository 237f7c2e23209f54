// Impossible layers (issue 13 item 4) and what torch 1.13 raises for each: a constructor call, the input
// shape of one forward, and the exception as `Type: first line of the message`. The unit suite checks the
// static engine gives the same diagnostic; test/python/opErrors.test.ts checks the messages against torch.
export const IMPOSSIBLE_LAYERS: readonly (readonly [ctor: string, input: number[], message: string])[] = [
  ['nn.Conv2d(3, -8, 3)', [1, 3, 16, 16], 'RuntimeError: Trying to create tensor with negative dimension -8: [-8, 3, 3, 3]'],
  ['nn.ConvTranspose2d(3, -8, 3)', [1, 3, 16, 16], 'RuntimeError: Trying to create tensor with negative dimension -8: [3, -8, 3, 3]'],
  [
    'nn.Conv2d(3, 64/2, 3)',
    [1, 3, 16, 16],
    'TypeError: empty() received an invalid combination of arguments - got (tuple, dtype=NoneType, device=NoneType), but expected one of:',
  ],
  [
    'nn.Conv2d(3, 8, kernel_size=3.0)',
    [1, 3, 16, 16],
    "TypeError: empty(): argument 'size' must be tuple of SymInts, but found element of type float at pos 3",
  ],
  [
    'nn.Conv2d(3.0, 8, 3)',
    [1, 3, 16, 16],
    "TypeError: empty(): argument 'size' must be tuple of SymInts, but found element of type float at pos 2",
  ],
  [
    'nn.Conv2d(4, 8, 3, groups=2.0)',
    [1, 4, 16, 16],
    "TypeError: empty(): argument 'size' must be tuple of SymInts, but found element of type float at pos 2",
  ],
  [
    'nn.Linear(10, 20/3)',
    [1, 10],
    'TypeError: empty() received an invalid combination of arguments - got (tuple, dtype=NoneType, device=NoneType), but expected one of:',
  ],
  [
    'nn.Linear(10, 20/2)',
    [1, 10],
    'TypeError: empty() received an invalid combination of arguments - got (tuple, dtype=NoneType, device=NoneType), but expected one of:',
  ],
  ['nn.Linear(10, -3)', [1, 10], 'RuntimeError: Trying to create tensor with negative dimension -3: [-3, 10]'],
  [
    'nn.BatchNorm2d(4.0)',
    [1, 4, 8, 8],
    'TypeError: empty() received an invalid combination of arguments - got (float, dtype=NoneType, device=NoneType), but expected one of:',
  ],
  ['nn.BatchNorm2d(-4)', [1, 4, 8, 8], 'RuntimeError: Trying to create tensor with negative dimension -4: [-4]'],
  [
    'nn.LSTM(10, 20/3)',
    [5, 1, 10],
    'TypeError: empty() received an invalid combination of arguments - got (tuple, dtype=NoneType, device=NoneType), but expected one of:',
  ],
  [
    'nn.MultiheadAttention(8.0, 2)',
    [5, 1, 8],
    'TypeError: empty() received an invalid combination of arguments - got (tuple, dtype=NoneType, device=NoneType), but expected one of:',
  ],
  ['nn.BatchNorm2d(5)', [1, 4, 8, 8], 'RuntimeError: running_mean should contain 4 elements not 5'],
  ['nn.BatchNorm2d(5, track_running_stats=False)', [2, 4, 8, 8], 'RuntimeError: weight should contain 4 elements not 5'],
  ['nn.Conv2d(3, 8, 3, stride=0)', [1, 3, 8, 8], 'RuntimeError: non-positive stride is not supported'],
  ['nn.Conv2d(3, 8, 3, padding=-1)', [1, 3, 8, 8], 'RuntimeError: negative padding is not supported'],
  [
    'nn.Conv2d(3, 8, 3)',
    [1, 4, 8, 8],
    'RuntimeError: Given groups=1, weight of size [8, 3, 3, 3], expected input[1, 4, 8, 8] to have 3 channels, but got 4 channels instead',
  ],
  [
    'nn.ConvTranspose2d(3, 8, 3)',
    [1, 4, 8, 8],
    'RuntimeError: Given transposed=1, weight of size [3, 8, 3, 3], expected input[1, 4, 8, 8] to have 3 channels, but got 4 channels instead',
  ],
  ['nn.Conv2d(3, 8, 3)', [8, 8], 'RuntimeError: Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: [8, 8]'],
  [
    'nn.GroupNorm(2, 4)',
    [1, 6, 3, 3],
    'RuntimeError: Expected weight to be a vector of size equal to the number of channels in input, but got weight of shape [4] and input of shape [1, 6, 3, 3]',
  ],
  ['nn.LayerNorm(5)', [1, 4], 'RuntimeError: Given normalized_shape=[5], expected input with shape [*, 5], but got input of size[1, 4]'],
  ['nn.AvgPool2d(2, 0)', [1, 3, 8, 8], 'RuntimeError: stride should not be zero'],
];
