"""Conv Lens runtime mode: profile a live PyTorch model, or show one conv layer, from a notebook kernel.

Walks ``model.named_modules()``, records every layer (a leaf, or a module with parameters of its
own) with its class name and constructor hyperparameters in the Conv Lens format, runs ONE forward
pass on ``torch.zeros(input_shape)`` under ``torch.no_grad()`` with hooks that record input and
output shapes per call, and returns a JSON-safe dict (schema ``convlens.runtime/1``). In a notebook
it also displays that dict under the MIME type ``application/vnd.convlens.profile+json`` so the
Conv Lens renderer draws it; the renderer (not this file) applies the counting conventions.

``playground(conv)`` reads the hyperparameters of a live ``nn.Conv2d`` / ``nn.ConvTranspose2d``
(or takes them as keywords) into the payload of ``application/vnd.convlens.conv+json``, which the
renderer shows as the interactive convolution playground, and displays it the same way.

It does not count MACs itself and never executes anything from a payload. Standard library and
torch only; Python 3.9+; tested with torch 1.13.

    import convlens_runtime
    convlens_runtime.profile(model, (1, 3, 224, 224))
    convlens_runtime.playground(model.layer1[0].conv1, input_size=(56, 56))
    convlens_runtime.playground(variant="grouped", in_channels=8, out_channels=16, kernel_size=3, groups=4)

Command line (profiles only; prints the JSON):

    python3 -m convlens_runtime torchvision.models:resnet18() 1x3x224x224
"""

import dis
import json
import math
import numbers
import os
import re
import sys

SCHEMA = "convlens.runtime/1"
MIME = "application/vnd.convlens.profile+json"
CONV_MIME = "application/vnd.convlens.conv+json"

# Bounds that keep a payload small and well-formed whatever the model does. The renderer checks
# the same kind of bounds again (extension/core/runtime.ts) and rejects payloads beyond its own.
MAX_LAYERS = 100000
MAX_CALLS_PER_LAYER = 1000
MAX_FUNCTIONALS = 100000
MAX_TENSORS_PER_CALL = 32
MAX_DIMS = 8
MAX_STRING = 200
MAX_ERRORS = 100
MAX_LIST = 64

# ------------------------------------------------------------------ JSON-safe values


def _json_value(value, depth=0):
    """A JSON-safe copy of a hyperparameter: tuples become lists, non-finite floats strings, objects their type name."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, str):
        return value[:MAX_STRING]
    if isinstance(value, (tuple, list)) and depth < 3:
        return [_json_value(v, depth + 1) for v in list(value)[:MAX_LIST]]
    # torch.Size is a tuple (handled above); anything else (functions, modules, tensors) is named only.
    return "<%s>" % type(value).__name__[:MAX_STRING]


def _shape(t):
    """The shape of a tensor as a list of ints (at most MAX_DIMS dims), or None."""
    try:
        dims = [int(d) for d in t.shape]
    except Exception:  # noqa: BLE001 - an exotic tensor subclass; its shape is simply unknown.
        return None
    return dims if len(dims) <= MAX_DIMS else None


def _tensor_shapes(values, torch, depth=0):
    """Shapes of the tensors among positional values, one level of tuples/lists flattened; others skipped."""
    out = []
    for v in values:
        if isinstance(v, torch.Tensor):
            out.append(_shape(v))
        elif isinstance(v, (tuple, list)) and depth == 0:
            out.extend(_tensor_shapes(v, torch, depth + 1))
        if len(out) >= MAX_TENSORS_PER_CALL:
            break
    return out[:MAX_TENSORS_PER_CALL]


def _first_tensor_shape(value, torch, depth=0):
    """The shape of a module's output: the tensor itself, or the first tensor of a tuple/list/dict."""
    if isinstance(value, torch.Tensor):
        return _shape(value)
    if depth < 3:
        items = value.values() if isinstance(value, dict) else value if isinstance(value, (tuple, list)) else ()
        for v in items:
            s = _first_tensor_shape(v, torch, depth + 1)
            if s is not None:
                return s
    return None


# ------------------------------------------------------------------ hyperparameters: one table
#
# Each entry maps a torch.nn class name to the hyperparameters Conv Lens records, in the ground
# truth's format. The table is generated from the op specs (extension/core/torch/*, the same ones the
# static engine builds layers from) into runtimeSpecs.json next to this file: a key is the attribute
# torch stores, or {key, attr, isSet} for `attr is not None` (bias), or {key, default} for an attribute
# older torch versions lack. Values pass through _json_value.


def _attr(name):
    return lambda m: getattr(m, name)


def _is_set(name):
    return lambda m: getattr(m, name, None) is not None


def _attr_or(name, default):
    return lambda m: getattr(m, name, default)


def _reader(entry):
    """(key, read) for one entry of runtimeSpecs.json."""
    if isinstance(entry, str):
        return entry, _attr(entry)
    key = entry["key"]
    attr = entry.get("attr", key)
    if entry.get("isSet"):
        return key, _is_set(attr)
    if "default" in entry:
        return key, _attr_or(attr, entry["default"])
    return key, _attr(attr)


def _load_table():
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "runtimeSpecs.json"), encoding="utf-8") as f:
        layers = json.load(f)["layers"]
    return {name: [_reader(e) for e in entries] for name, entries in layers.items()}


HYPERPARAMS = _load_table()

# Attributes every nn.Module has, never worth recording for an unknown (third-party) layer.
_MODULE_INTERNALS = {"training", "dump_patches", "call_super_init"}


def _generic_hyperparams(module):
    """For a class the table does not know: its public scalar attributes, for display only."""
    out = {}
    for key, value in list(vars(module).items())[:256]:
        if key.startswith("_") or key in _MODULE_INTERNALS:
            continue
        if value is None or isinstance(value, (bool, int, float, str)) or (
                isinstance(value, (tuple, list)) and all(isinstance(v, (bool, int, float, str)) for v in value)):
            out[key[:MAX_STRING]] = _json_value(value)
        if len(out) >= 32:
            break
    return out


def hyperparams_of(module):
    """(hyperparams, error) of one module: the table's keys for a torch.nn class (or a user subclass of
    one, which keeps its base's attributes), public scalars otherwise."""
    table = HYPERPARAMS.get(type(module).__name__ if _is_torch_nn(module) else _torch_base(module) or "")
    if table is None:
        return _generic_hyperparams(module), None
    out = {}
    failed = []
    for key, read in table:
        try:
            out[key] = _json_value(read(module))
        except Exception:  # noqa: BLE001 - an attribute renamed in another torch version; record which.
            failed.append(key)
    return out, ("hyperparameters not found: %s" % ", ".join(failed)) if failed else None


def _is_torch_nn(module):
    return type(module).__module__.startswith("torch.nn.")


# ------------------------------------------------------------------ functional ops

# Dunder methods that are Python operators (`a + b`, `a @ b`), by the op name the core uses.
_OPERATORS = {
    "__add__": "add", "__radd__": "add", "__iadd__": "add", "__sub__": "sub", "__rsub__": "sub", "__isub__": "sub",
    "__mul__": "mul", "__rmul__": "mul", "__imul__": "mul", "__truediv__": "div", "__rtruediv__": "div",
    "__itruediv__": "div", "__matmul__": "matmul", "__rmatmul__": "matmul", "__pow__": "pow", "__neg__": "neg",
}
# Arguments that change how a tool counts a functional op (see FunctionalOp.args in extension/core/cost/costTypes.ts).
_OP_ARGS = ("size", "scale_factor", "mode", "align_corners", "output_size", "dim", "beta", "alpha", "kernel_size",
            "stride", "padding", "dilation", "groups", "ceil_mode", "start_dim", "end_dim", "p", "approximate",
            "negative_slope", "recompute_scale_factor")
# Tensor methods that read metadata or return non-tensors; never worth a functional entry.
_SKIP_OPS = {"size", "dim", "__get__", "__len__", "__bool__", "__repr__", "__format__", "numel", "item", "tolist",
             "__iter__", "__index__", "__int__", "__float__", "__hash__", "__eq__", "__ne__", "__setitem__", "__contains__"}


def _op_identity(func, caller):
    """(op, via) for a function seen by __torch_function__, in the names the static engine uses.

    `a + b` and `a.add(b)` reach __torch_function__ as the same Tensor.add, so the calling frame's
    current bytecode tells them apart: a BINARY_*/INPLACE_* instruction means an operator. In-place
    variants (`add_`, also what `+=` calls) are named without the underscore, as the static engine does.
    """
    name = getattr(func, "__name__", None) or type(func).__name__
    if name in _OPERATORS:
        return _OPERATORS[name], "operator"
    # F.avg_pool2d, F.conv2d, F.linear, F.gelu... are C builtins re-exported by torch.nn.functional: by identity.
    functional = _functional_names().get(id(func))
    if functional is not None:
        return functional, "F"
    module = getattr(func, "__module__", None) or ""
    qual = getattr(func, "__qualname__", "") or ""
    if module == "torch.nn.functional":
        return name, "F"
    if qual.startswith(("Tensor.", "TensorBase.", "_TensorBase.")) or module == "torch._tensor":
        plain = name[:-1] if name.endswith("_") and not name.startswith("_") else name
        return plain, "operator" if _is_operator_instruction(caller) or not _calls_method(caller, name) else "method"
    return name, "torch"


_FUNCTIONAL_NAMES = {}


def _functional_names():
    """id(function) -> name for the public callables of torch.nn.functional (built once)."""
    if not _FUNCTIONAL_NAMES:
        import torch.nn.functional as F
        for n in dir(F):
            f = getattr(F, n, None)
            if not n.startswith("_") and callable(f) and not isinstance(f, type):
                _FUNCTIONAL_NAMES.setdefault(id(f), n)
        _FUNCTIONAL_NAMES.setdefault(0, "")  # built, even if nothing matched
    return _FUNCTIONAL_NAMES


def _calls_method(frame, name):
    """False when the issuing line cannot be calling ``.name(`` itself: the op then comes from Python's
    number protocol inside a builtin (``sum(tensors)`` adds with ``+``), not from a method call."""
    try:
        import linecache
        line = linecache.getline(frame.f_code.co_filename, frame.f_lineno)
    except Exception:  # noqa: BLE001 - no frame or no source: keep calling it a method.
        return True
    if not line:
        return True
    return ("." + name + "(") in line.replace(" ", "") or ("." + name.rstrip("_") + "(") in line.replace(" ", "")


def _is_operator_instruction(frame):
    """True when `frame` is executing a binary or in-place operator instruction (Python 3.9 to 3.12)."""
    try:
        code = frame.f_code.co_code
        opname = dis.opname[code[frame.f_lasti]]
    except Exception:  # noqa: BLE001 - no frame or an unusual interpreter: call it a method.
        return False
    return opname == "BINARY_OP" or (opname.startswith(("BINARY_", "INPLACE_")) and opname != "BINARY_SUBSCR")


def _op_args(func, args, kwargs):
    """The counting-relevant arguments of one call, bound by name where the signature is readable."""
    bound = dict(kwargs or {})
    try:
        import inspect
        bound = dict(inspect.signature(func).bind_partial(*args, **(kwargs or {})).arguments)
    except Exception:  # noqa: BLE001 - builtins without a signature: keyword arguments only.
        pass
    # Python-level torch functions pass every argument on to __torch_function__, defaults (None) included.
    out = {k: _json_value(bound[k]) for k in _OP_ARGS if bound.get(k) is not None and not _looks_like_tensor(bound[k])}
    # torch.einsum(equation, *operands): its signature is (*args), so the equation is the first positional.
    if args and isinstance(args[0], str):
        out["equation"] = args[0][:MAX_STRING]
    return out


def _looks_like_tensor(value):
    return type(value).__name__ in ("Tensor", "Parameter")


# ------------------------------------------------------------------ the profile


class _Recorder:
    """Hook state for one forward pass: calls per layer, the module stack, functional ops."""

    def __init__(self, torch, layer_paths):
        self.torch = torch
        self.layer_paths = layer_paths  # id(module) -> path, for recorded layers
        self.calls = {}  # path -> list of calls
        self.stack = []  # paths of modules whose forward is running, innermost last
        self.in_layer = 0  # how many torch.nn layers' forwards are running (ops inside them are theirs)
        self.functionals = []
        self.truncated = set()
        self.busy = False  # True while the functional recorder runs a call itself

    def pre(self, path, is_layer, owns_ops):
        self.stack.append(path)
        if owns_ops:
            self.in_layer += 1

    def post(self, path, is_layer, owns_ops, inputs, output):
        if self.stack and self.stack[-1] == path:
            self.stack.pop()
        if owns_ops:
            self.in_layer = max(0, self.in_layer - 1)
        if not is_layer:
            return
        calls = self.calls.setdefault(path, [])
        if len(calls) >= MAX_CALLS_PER_LAYER:
            self.truncated.add(path)
            return
        calls.append({"inputShapes": _tensor_shapes(inputs, self.torch),
                      "outputShape": _first_tensor_shape(output, self.torch)})

    def functional(self, func, args, kwargs, result, caller):
        op, via = _op_identity(func, caller)
        if op in _SKIP_OPS or op.startswith("__") or not isinstance(result, self.torch.Tensor):
            return
        if len(self.functionals) >= MAX_FUNCTIONALS:
            self.truncated.add("<functionals>")
            return
        self.functionals.append({
            "op": op[:MAX_STRING], "via": via, "modulePath": self.stack[-1] if self.stack else "",
            "inputShapes": _tensor_shapes(list(args) + list((kwargs or {}).values()), self.torch),
            "outputShape": _shape(result), "args": _op_args(func, args, kwargs),
        })


def _issuing_frame(torch_dir):
    """The innermost frame that issued the op: not this file, and not torch's dispatch wrappers
    (torch/overrides.py, torch/_tensor.py). It is user code or torch's own module code (e.g. the `+` in
    TransformerEncoderLayer.forward), whose current instruction tells an operator from a method call."""
    frame = sys._getframe(2)
    here = os.path.abspath(__file__)
    wrappers = {os.path.join(torch_dir, "overrides.py"), os.path.join(torch_dir, "_tensor.py")}
    while frame is not None:
        filename = os.path.abspath(frame.f_code.co_filename)
        if filename != here and filename not in wrappers:
            return frame
        frame = frame.f_back
    return None


def _function_mode(torch, recorder):
    """A TorchFunctionMode that records ops issued outside layers' forwards; None when torch has none."""
    base = getattr(getattr(torch, "overrides", None), "TorchFunctionMode", None)
    if base is None:
        return None

    torch_dir = os.path.dirname(os.path.abspath(torch.__file__)) + os.sep

    class _Mode(base):
        def __torch_function__(self, func, types, args=(), kwargs=None):
            kwargs = kwargs or {}
            caller = _issuing_frame(torch_dir)
            # Nested calls (F.relu calling torch.relu) belong to the outer call; ops inside layers to the layer.
            if recorder.busy or recorder.in_layer > 0:
                return func(*args, **kwargs)
            recorder.busy = True
            try:
                result = func(*args, **kwargs)
            finally:
                recorder.busy = False
            try:
                recorder.functional(func, args, kwargs, result, caller)
            except Exception:  # noqa: BLE001 - recording must never break the user's forward.
                pass
            return result

    return _Mode()


def _torch_base(module):
    """For a user class deriving from a torch.nn layer (``class StdConv2d(nn.Conv2d)``), that layer's name."""
    if _is_torch_nn(module):
        return None
    for cls in type(module).__mro__[1:]:
        if cls.__module__.startswith("torch.nn.modules.") and cls.__name__ not in ("Module", "Sequential", "ModuleList", "ModuleDict"):
            return cls.__name__
    return None


def _path_counts(model, limit=100000):
    """How many children() paths reach each module (a module registered twice is reached twice), by id."""
    counts, stack, visits = {}, [model], 0
    while stack and visits < limit:
        m = stack.pop()
        visits += 1
        counts[id(m)] = counts.get(id(m), 0) + 1
        stack.extend(m.children())
    return counts


def _layers_of(model):
    """(path, module, own_params) of every module named_modules() lists that is a leaf or owns parameters."""
    out = []
    for path, module in model.named_modules():
        children = next(iter(module.children()), None) is not None
        own = sum(p.numel() for p in module.parameters(recurse=False))
        if not children or own > 0:
            out.append((path, module, int(own)))
    return out


def _text_summary(payload):
    params = payload["totalParams"]
    lines = ["Conv Lens runtime profile: %s, input %s, %d layers, %s params (torch %s)" % (
        payload["name"], "x".join(str(d) for d in payload["input"]), len(payload["layers"]),
        "{:,}".format(params) if isinstance(params, int) else "?", payload["torch"])]
    lines.extend("error: %s" % e for e in payload["errors"][:5])
    lines.append("Open this output with the Conv Lens renderer for MACs under each counting convention.")
    return "\n".join(lines)


def profile(model, input_shape=(1, 3, 224, 224), *, display=True, name=None):
    """Profiles ``model`` with one forward pass on zeros of ``input_shape``; returns the payload dict.

    The model is put in eval mode (and left there). Hooks are removed even when forward raises; a
    forward error is recorded in ``errors``, layers still carry their hyperparameters and params.
    """
    import torch

    shape = [int(d) for d in input_shape]
    errors = []
    model.eval()
    entries = _layers_of(model)[:MAX_LAYERS]
    if len(entries) == MAX_LAYERS:
        errors.append("more than %d layers: the rest are left out" % MAX_LAYERS)
    layer_paths = {id(m): p for p, m, _ in entries}
    recorder = _Recorder(torch, layer_paths)
    layers = []
    paths = _path_counts(model)
    for path, module, own in entries:
        layer = {"path": path, "type": type(module).__name__[:MAX_STRING], "builtin": _is_torch_nn(module),
                 "hyperparams": {}, "params": own, "calls": []}
        base = _torch_base(module)
        if base:
            layer["torchBase"] = base
        if paths.get(id(module), 1) > 1:
            layer["paths"] = paths[id(module)]
        layer["paramNames"] = [{"name": n[:MAX_STRING], "numel": int(p.numel())} for n, p in module._parameters.items() if p is not None][:64]
        try:
            layer["hyperparams"], error = hyperparams_of(module)
            if error:
                layer["error"] = error
        except Exception as e:  # noqa: BLE001 - an unusual module is recorded, not fatal.
            layer["error"] = ("hyperparameters unreadable: %s" % e)[:MAX_STRING]
        layers.append(layer)

    handles = []
    output_shape = None
    try:
        for path, module in model.named_modules():
            is_layer = layer_paths.get(id(module)) == path
            # Ops inside a torch.nn layer are the layer's (its cost rule covers them); ops inside the user's
            # own modules are functional ops, as the counters see them (ptflops patches them, fvcore traces them).
            owns = is_layer and _is_torch_nn(module)
            try:
                handles.append(module.register_forward_pre_hook(
                    lambda m, inputs, path=path, is_layer=is_layer, owns=owns: recorder.pre(path, is_layer, owns)))
                handles.append(module.register_forward_hook(
                    lambda m, inputs, output, path=path, is_layer=is_layer, owns=owns: recorder.post(path, is_layer, owns, inputs, output)))
            except Exception as e:  # noqa: BLE001 - e.g. a scripted module refuses Python hooks.
                errors.append(("%s: hooks refused (%s), its calls are not recorded" % (path or "<root>", e))[:MAX_STRING * 5])
        mode = _function_mode(torch, recorder)
        with torch.no_grad():
            # Zeros where the model lives (a model on a GPU, or in float64, gets a matching input).
            first = next(model.parameters(), None)
            floating = first is not None and first.is_floating_point()
            x = torch.zeros(shape, device=first.device if first is not None else "cpu", dtype=first.dtype if floating else torch.float32)
            if mode is not None:
                with mode:
                    out = model(x)
            else:
                out = model(x)
        output_shape = _first_tensor_shape(out, torch)
    except Exception as e:  # noqa: BLE001 - the payload says what went wrong instead.
        errors.append(("forward failed: %s: %s" % (type(e).__name__, e))[:MAX_STRING * 5])
    finally:
        for h in handles:
            h.remove()

    for layer in layers:
        layer["calls"] = recorder.calls.get(layer["path"], [])
    for path in sorted(recorder.truncated)[:MAX_ERRORS]:
        errors.append("%s: too many calls, only the first ones are recorded" % path)
    seen = set()
    total = 0
    for p in model.parameters():  # model.parameters() yields a shared parameter once.
        if id(p) not in seen:
            seen.add(id(p))
            total += p.numel()
    payload = {
        "schema": SCHEMA,
        "name": (name or type(model).__name__)[:MAX_STRING],
        "input": shape,
        "torch": str(torch.__version__)[:MAX_STRING],
        "totalParams": int(total),
        "layers": layers,
        "functionals": recorder.functionals,
        "outputShape": output_shape,
        "errors": errors[:MAX_ERRORS],
    }
    if display:
        _display(MIME, payload, _text_summary(payload))
    return payload


def _display(mime, payload, summary):
    """Shows the payload under ``mime`` (``summary`` as text/plain) in a running IPython kernel; outside one, nothing."""
    try:
        from IPython import get_ipython
        from IPython.display import display as ipy_display
    except ImportError:
        return
    # Outside a kernel IPython would print the raw dict, which helps nobody.
    if get_ipython() is None:
        return
    ipy_display({mime: payload, "text/plain": summary}, raw=True)


# ------------------------------------------------------------------ the convolution playground
#
# The conv payload is any subset of PlaygroundParams (extension/protocol/playgroundMessages.ts) plus
# `label` and `backend` (CONV_PAYLOAD_EXTRA_KEYS in rendererMessages.ts); the renderer's
# parseConvPayload (validateRenderer.ts) fills the rest from the playground's start state and refuses
# unknown keys. The checks below are its type checks, so a bad call fails here with a Python message;
# whether the sizes make a valid convolution is left to the playground, which shows PyTorch's error.

# Mirror CONV_VARIANTS (extension/core/convMath.ts), and BACKEND_CHOICES and PLAYGROUND_LIMITS
# (maxInteger, maxLabelLength) in playgroundMessages.ts; test/python/playground.test.ts compares them.
CONV_VARIANTS = ("standard", "grouped", "dilated", "depthwiseSeparable", "acblock", "transposed")
BACKENDS = ("auto", "wasm", "webgpu")
MAX_INTEGER = 1000000000
MAX_LABEL = 500
# DEFAULT_PLAYGROUND_STATE's inputSize (playgroundMessages.ts): the input the extension starts from.
DEFAULT_INPUT_SIZE = (16, 16)


def _check_int(name, value):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError("%s must be an integer, got %r" % (name, value))
    if abs(int(value)) > MAX_INTEGER:
        raise ValueError("%s must be at most %d in size, got %d" % (name, MAX_INTEGER, value))
    return int(value)


def _check_pair(name, value):
    """``3`` -> ``[3, 3]``, ``(3, 5)`` -> ``[3, 5]``: one int stands for both spatial dims, as in torch."""
    if isinstance(value, str):
        # A module's padding='same'/'valid' is resolved from its kernel and dilation (_explicit_padding).
        raise ValueError("%s must be an int or an (h, w) pair, got %r" % (name, value))
    pair = list(value) if isinstance(value, (tuple, list)) else [value, value]
    if len(pair) != 2:
        raise ValueError("%s must be an int or an (h, w) pair (the playground is 2-D), got %r" % (name, value))
    return [_check_int(name, v) for v in pair]


def _check_seed(name, value):
    value = _check_int(name, value)
    if value < 0:
        raise ValueError("%s must be a non-negative integer, got %d" % (name, value))
    return value


def _check_bias(name, value):
    if not isinstance(value, bool):
        raise ValueError("%s must be True or False, got %r" % (name, value))
    return value


def _one_of(choices):
    def check(name, value):
        if value not in choices:
            raise ValueError("%s must be one of %s, got %r" % (name, ", ".join(choices), value))
        return value
    return check


def _check_label(name, value):
    if not isinstance(value, str) or len(value) > MAX_LABEL:
        raise ValueError("%s must be a string of at most %d characters" % (name, MAX_LABEL))
    return value


# Every payload field in payload order, with its check. Keywords may use these names or their
# snake_case forms (in_channels, kernel_size, output_padding, ...).
_CONV_FIELDS = (
    ("variant", _one_of(CONV_VARIANTS)), ("inChannels", _check_int), ("outChannels", _check_int),
    ("kernelSize", _check_pair), ("stride", _check_pair), ("padding", _check_pair), ("dilation", _check_pair),
    ("groups", _check_int), ("outputPadding", _check_pair), ("inputSize", _check_pair), ("bias", _check_bias),
    ("seed", _check_seed), ("label", _check_label), ("backend", _one_of(BACKENDS)),
)
_FIELD_CHECKS = dict(_CONV_FIELDS)
_FIELD_NAMES = {}
for _field, _ in _CONV_FIELDS:
    _FIELD_NAMES[_field] = _field
    _FIELD_NAMES[re.sub("([A-Z])", r"_\1", _field).lower()] = _field


def _conv_fields(keywords):
    """The payload fields named by ``keywords`` (either spelling), each checked."""
    out = {}
    for key, value in keywords.items():
        field = _FIELD_NAMES.get(key)
        if field is None:
            raise ValueError("unknown playground field %r (known: %s)" % (key, ", ".join(f for f, _ in _CONV_FIELDS)))
        if field in out:
            raise ValueError("playground field %s given twice" % field)
        out[field] = _FIELD_CHECKS[field](key, value)
    return out


def _module_fields(module):
    """(fields, transposed) of a live nn.Conv2d / nn.ConvTranspose2d; padding may still be 'same' or 'valid'."""
    import torch.nn as nn

    transposed = isinstance(module, nn.ConvTranspose2d)
    if not transposed and not isinstance(module, nn.Conv2d):
        raise ValueError("the playground shows 2-D convolutions (nn.Conv2d or nn.ConvTranspose2d), got %s"
                         % type(module).__name__)
    uninitialized = getattr(module, "has_uninitialized_params", None)
    if uninitialized is not None and uninitialized():
        raise ValueError("%s has not seen an input yet, so in_channels is unknown: run one forward pass first"
                         % type(module).__name__)
    label = repr(module)
    if module.padding_mode != "zeros":
        # Shapes, params and MACs are the same; only the border values differ.
        label = "%s; padding_mode=%r shown as zero padding" % (label, module.padding_mode)
    fields = {
        "inChannels": module.in_channels, "outChannels": module.out_channels,
        "kernelSize": list(module.kernel_size), "stride": list(module.stride),
        "padding": module.padding if isinstance(module.padding, str) else list(module.padding),
        "dilation": list(module.dilation), "groups": module.groups,
        # torch stores output_padding (0, 0) for a plain Conv2d too.
        "outputPadding": list(module.output_padding), "bias": module.bias is not None,
        "label": label[:MAX_LABEL],
    }
    return fields, transposed


def _explicit_padding(padding, kernel_size, dilation):
    """padding='valid' or 'same' as the per-side [h, w] padding the payload holds.

    'same' pads ``dilation·(kernel − 1)`` cells per dim in all; torch puts ``total // 2`` before and the
    rest after (an even kernel with odd dilation pads one more cell after). The playground pads both
    sides equally, so only an even total can be shown.
    """
    if padding == "valid":
        return [0, 0]
    totals = [d * (k - 1) for k, d in zip(kernel_size, dilation)]
    if padding != "same" or len(totals) != 2:
        raise ValueError("padding=%r cannot be shown in the playground" % (padding,))
    if any(t % 2 for t in totals):
        raise ValueError(
            "padding='same' with kernel_size=%s and dilation=%s pads (h, w) = %s before and %s after: torch puts "
            "the odd cell of dilation*(kernel-1) after. The playground pads both sides equally, so it cannot show "
            "this layer; pass padding=(h, w) to see it with symmetric padding instead."
            % (tuple(kernel_size), tuple(dilation), [t // 2 for t in totals], [t - t // 2 for t in totals]))
    return [t // 2 for t in totals]


def _variant_of(fields, transposed):
    """The seed text's name for one conv, tested in the order extension/features/convCompare.ts tests them.

    A depthwise conv (groups = in = out channels) on its own is a grouped conv with groups = Cin, as
    compareConv calls it when no 1×1 conv follows: the depthwiseSeparable variant adds a 1×1
    point_conv that one module does not have. Grouped wins over dilated, as there.
    """
    if transposed:
        return "transposed"
    if fields.get("groups", 1) > 1:
        return "grouped"
    if any(d > 1 for d in fields.get("dilation", (1, 1))):
        return "dilated"
    return "standard"


def _default_input_size(fields):
    """DEFAULT_INPUT_SIZE, grown per dim where the dilated kernel would not fit the padded input.

    A ConvNd needs ``H + 2·padding >= dilation·(kernel − 1) + 1`` (ATen's "Kernel size can't be
    greater than actual input size"); a transposed conv takes any input.
    """
    if fields["variant"] == "transposed":
        return list(DEFAULT_INPUT_SIZE)
    return [max(n, d * (k - 1) + 1 - 2 * p)
            for n, k, p, d in zip(DEFAULT_INPUT_SIZE, fields["kernelSize"], fields["padding"], fields["dilation"])]


def _field_text(field, value):
    """``kernelSize=3x3``: a field as the text summary and the label show it."""
    return "%s=%s" % (field, "x".join(str(v) for v in value) if isinstance(value, list) else value)


def _conv_summary(payload):
    fields = ", ".join(_field_text(f, payload[f]) for f, _ in _CONV_FIELDS if f in payload and f not in ("label", "backend"))
    lines = ["Conv Lens convolution playground: %s" % (fields or "the default preset")]
    if payload.get("label"):
        lines.append(payload["label"])
    lines.append("Open this output with the Conv Lens renderer for the interactive playground.")
    return "\n".join(lines)


def playground(module=None, *, input_size=None, variant=None, display=True, **fields):
    """The convolution playground for one conv layer; returns the payload dict.

    With ``module`` (a live ``nn.Conv2d`` or ``nn.ConvTranspose2d``) the payload holds its
    hyperparameters, bias presence and ``repr`` as the label, and the variant the seed text would call
    it (transposed, grouped, dilated or standard). padding='valid'/'same' become explicit padding; an
    uneven 'same' padding, a 1-D/3-D conv or any other module raise ValueError. Without a module the
    payload holds just the keywords given, and the renderer starts the rest from its defaults.

    Keywords (``in_channels=8`` or ``inChannels=8``, ``kernel_size=3`` or ``(3, 5)``, ``label``,
    ``backend``, ``seed``, ...) override what the module says. ``input_size`` is the spatial (H, W);
    for a module it defaults to the playground's 16×16, grown to fit the dilated kernel. ``variant``
    defaults to what the groups and dilation make it. With ``display`` in an IPython kernel, the
    payload is shown under ``CONV_MIME`` with a text/plain summary, as ``profile`` shows its own.
    """
    given = dict(fields)
    if input_size is not None:
        given["input_size"] = input_size
    if variant is not None:
        given["variant"] = variant
    given = _conv_fields(given)
    if module is None:
        merged, transposed = given, False
    else:
        merged, transposed = _module_fields(module)
        # The module's repr no longer describes what is shown once a keyword changes it; say so.
        changed = [f for f in given if f in merged and f != "label" and given[f] != merged[f]]
        if changed and "label" not in given:
            shown = ", ".join(_field_text(f, given[f]) for f in changed)
            merged["label"] = ("%s; shown with %s" % (merged["label"], shown))[:MAX_LABEL]
        merged.update(given)
        if isinstance(merged["padding"], str):
            merged["padding"] = _explicit_padding(merged["padding"], merged["kernelSize"], merged["dilation"])
    if "variant" not in merged and (module is not None or "groups" in merged or "dilation" in merged):
        merged["variant"] = _variant_of(merged, transposed)
    if module is not None and "inputSize" not in merged:
        merged["inputSize"] = _default_input_size(merged)
    payload = {f: merged[f] for f, _ in _CONV_FIELDS if f in merged}
    if display:
        _display(CONV_MIME, payload, _conv_summary(payload))
    return payload


# ------------------------------------------------------------------ command line


def _parse_shape(text):
    dims = [int(p) for p in text.lower().replace("×", "x").replace(",", "x").split("x") if p.strip()]
    if not dims or any(d <= 0 for d in dims):
        raise ValueError("bad input shape %r (expected e.g. 1x3x224x224)" % text)
    return dims


def _build(target):
    """Imports `module.path` and evaluates `expr` in its namespace (`pkg.mod:resnet18(weights=None)`)."""
    import importlib
    module_name, sep, expr = target.partition(":")
    if not sep or not expr:
        raise ValueError("expected module.path:expression, got %r" % target)
    module = importlib.import_module(module_name)
    return eval(expr, vars(module).copy())  # noqa: S307 - the user's own command line, never a payload.


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    if len(argv) != 2 or argv[0] in ("-h", "--help"):
        sys.stderr.write("usage: python3 -m convlens_runtime module.path:expression 1x3x224x224\n")
        return 2
    model = _build(argv[0])
    payload = profile(model, _parse_shape(argv[1]), display=False, name=argv[0].partition(":")[2])
    json.dump(payload, sys.stdout, allow_nan=False)
    sys.stdout.write("\n")
    return 1 if payload["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
