"""Writes weight files and reference outputs with real PyTorch for the playground's user-weights test.

Usage: make_weight_files.py OUTDIR

OUTDIR gets:
  model.safetensors     state dicts of four modules under the prefixes the test picks:
                        conv (Conv2d 4->8, 3x3, pad 1, bias), up (ConvTranspose2d 4->6, 3x3, stride 2,
                        pad 1, output_padding 1), dsc (the seed's DSC(4, 8)), acb (the seed's
                        ACBlock(4, 8, 3, padding=1), BatchNorm running stats made non-trivial), plus
                        half.weight (F16) and bf.weight (BF16) copies of conv.weight
  conv_weight.npy       conv.weight as np.save writes it (C order)
  conv_weight_f.npy     the same values in Fortran order
  input.npy             the input, [1, 4, 8, 8] float32
  out_<name>.npy        each module's output on the input, in eval mode (torch.no_grad)
  bf_weight_values.npy  what torch makes of conv.weight in bfloat16, back in float32
  errors.json           torch's load_state_dict messages when each state dict is loaded into a module
                        of other sizes (Cin 2, Cout 4, and for conv and up a 5x5 kernel without bias)

The safetensors file is written here by hand from the format's specification (8-byte little-endian header
length, a JSON header, then the raw little-endian data), so the test does not depend on the safetensors
package, which Debian 12 does not ship.
"""
import json
import os
import struct
import sys

import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'seed'))
from seed_models_fixed import DSC, ACBlock  # noqa: E402


def write_safetensors(path, tensors):
    """tensors: list of (name, dtype string, raw little-endian bytes, shape)."""
    header, offset, blobs = {}, 0, []
    for name, dtype, raw, shape in tensors:
        header[name] = {'dtype': dtype, 'shape': list(shape), 'data_offsets': [offset, offset + len(raw)]}
        offset += len(raw)
        blobs.append(raw)
    header['__metadata__'] = {'format': 'pt'}
    text = json.dumps(header).encode('utf-8')
    text += b' ' * (-len(text) % 8)  # the format pads the header to 8 bytes with spaces
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def f32(t):
    return t.detach().contiguous().float().numpy().astype('<f4')


def main(out):
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(0)
    modules = {
        'conv': nn.Conv2d(4, 8, 3, padding=1),
        'up': nn.ConvTranspose2d(4, 6, 3, stride=2, padding=1, output_padding=1),
        'dsc': DSC(4, 8),
        'acb': ACBlock(4, 8, 3, padding=1),
    }
    with torch.no_grad():
        for bn in (modules['acb'].square_bn, modules['acb'].ver_bn, modules['acb'].hor_bn):
            bn.weight.uniform_(0.5, 1.5)
            bn.bias.uniform_(-0.5, 0.5)
            bn.running_mean.uniform_(-0.2, 0.2)
            bn.running_var.uniform_(0.5, 1.5)
    x = torch.rand(1, 4, 8, 8) * 2 - 1
    np.save(os.path.join(out, 'input.npy'), x.numpy().astype('<f4'))
    tensors = []
    for prefix, m in modules.items():
        m.eval()
        with torch.no_grad():
            np.save(os.path.join(out, f'out_{prefix}.npy'), m(x).numpy().astype('<f4'))
        for key, value in m.state_dict().items():
            if key.endswith('num_batches_tracked'):
                tensors.append((f'{prefix}.{key}', 'I64', value.numpy().astype('<i8').tobytes(), value.shape))
            else:
                tensors.append((f'{prefix}.{key}', 'F32', f32(value).tobytes(), value.shape))
    w = modules['conv'].weight.detach()
    tensors.append(('half.weight', 'F16', w.numpy().astype('<f2').tobytes(), w.shape))
    bf = w.to(torch.bfloat16)
    bf_bits = (bf.float().numpy().view('<u4') >> 16).astype('<u2')  # bfloat16 is a float32's top half
    tensors.append(('bf.weight', 'BF16', bf_bits.tobytes(), w.shape))
    np.save(os.path.join(out, 'bf_weight_values.npy'), f32(bf.float()))
    write_safetensors(os.path.join(out, 'model.safetensors'), tensors)
    np.save(os.path.join(out, 'conv_weight.npy'), f32(w))
    np.save(os.path.join(out, 'conv_weight_f.npy'), np.asfortranarray(f32(w)))
    others = {
        'conv': nn.Conv2d(2, 4, 5, padding=2, bias=False),
        'up': nn.ConvTranspose2d(2, 4, 5, stride=2, padding=1, output_padding=1, bias=False),
        'dsc': DSC(2, 4),
        'acb': ACBlock(2, 4, 3, padding=1),
    }
    errors = {}
    for prefix, m in others.items():
        try:
            m.load_state_dict(modules[prefix].state_dict())
        except RuntimeError as e:
            errors[prefix] = str(e)
    with open(os.path.join(out, 'errors.json'), 'w') as f:
        json.dump(errors, f, indent=1)
    print(json.dumps({'torch': torch.__version__, 'files': sorted(os.listdir(out))}))


if __name__ == '__main__':
    main(sys.argv[1])
