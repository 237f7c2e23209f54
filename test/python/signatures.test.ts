// The declared signatures the engine binds calls with (extension/core/torch/signatures.ts) against the
// installed torch: for the C builtins (torch.cat, Tensor.view) every overload torch's generated stubs declare
// (torch/_C/*.pyi, the argument parser's own names), for the Python functions of torch.nn.functional
// inspect.signature, else the signature lines of the docstring; one of the overloads must agree.
// Agreeing means: the positional parameters have torch's names in torch's order (over the length both
// declare: a parameter newer than the installed torch is reported, not failed), a `*args` is a `*args`
// there too, and no parameter we take positionally is keyword-only in torch.
import * as assert from 'assert';
import { SIGNATURE_TEXT, parseSignature, type SigParam } from '../../extension/core/torch/signatures';
import { runTorchPython } from './torchPython';

const SCRIPT = `
import inspect, json, re, sys
import torch, torch.nn.functional as F
ns = {"F": F, "torch": torch, "Tensor": torch.Tensor}
def doc_overloads(name, fn):
    out = []
    for line in (getattr(fn, "__doc__", None) or "").splitlines():
        m = re.match(r"\\s*(?:torch\\.|Tensor\\.)?" + re.escape(name) + r"\\((.*)\\)\\s*(->.*)?$", line)
        if m:
            out.append(m.group(1))
    return out
def params_of(text):
    pos, kwonly, var, star = [], [], None, False
    for p in [p.strip() for p in re.split(r",(?![^\\[\\(]*[\\]\\)])", text) if p.strip()]:
        name = re.split(r"[=:]", p)[0].strip()
        if name == "*":
            star = True
        elif name.startswith("**"):
            pass
        elif name.startswith("*"):
            var, star = name[1:], True
        elif name in ("self", "/"):
            pass
        else:
            (kwonly if star else pos).append(name)
    return {"pos": pos, "kwonly": kwonly, "var": var}
# torch's generated type stubs declare the C builtins with the argument parser's own names, every overload.
import ast, os
def stub_defs(path, cls=None):
    defs = {}
    try:
        tree = ast.parse(open(path).read())
    except OSError:
        return defs
    body = tree.body
    if cls:
        body = next((n.body for n in tree.body if isinstance(n, ast.ClassDef) and n.name == cls), [])
    for n in body:
        if isinstance(n, ast.FunctionDef):
            a = n.args
            defs.setdefault(n.name, []).append({
                "pos": [x.arg for x in a.posonlyargs + a.args if x.arg != "self"],
                "kwonly": [x.arg for x in a.kwonlyargs],
                "var": a.vararg.arg if a.vararg else None})
    return defs
C = os.path.join(os.path.dirname(torch.__file__), "_C")
stubs = {"torch": stub_defs(os.path.join(C, "_VariableFunctions.pyi")),
         "Tensor": stub_defs(os.path.join(C, "__init__.pyi"), "_TensorBase"),
         "F": stub_defs(os.path.join(C, "_nn.pyi"))}
out = {}
for space, names in json.loads(sys.argv[1]).items():
    for name in names:
        fn = getattr(ns[space], name, None)
        if fn is None:
            out[space + "." + name] = None
            continue
        # F's Python functions first (F.dropout is not torch.dropout), then the stubs, then the docstring
        sigs = list(stubs[space].get(name, [])) if space != "F" else []
        if not sigs:
          try:
            s = inspect.signature(fn)
            ps = list(s.parameters.values())
            P = inspect.Parameter
            # a (*args, **kwargs) wrapper (boolean_dispatch, a method stub) says nothing: read its docstring
            if not any(p.kind == P.VAR_POSITIONAL for p in ps) or len(ps) > 2:
                sigs.append({"pos": [p.name for p in ps if p.kind in (P.POSITIONAL_ONLY, P.POSITIONAL_OR_KEYWORD) and p.name != "self"],
                             "kwonly": [p.name for p in ps if p.kind == P.KEYWORD_ONLY],
                             "var": next((p.name for p in ps if p.kind == P.VAR_POSITIONAL), None)})
          except (TypeError, ValueError):
            pass
        if not sigs and space == "F":
            sigs = list(stubs["F"].get(name, [])) or list(stubs["torch"].get(name, []))
        if not sigs:
            sigs = [params_of(t) for t in doc_overloads(name, fn)]
        out[space + "." + name] = sigs
print(json.dumps(out))
`;

interface TorchSig {
  readonly pos: string[];
  readonly kwonly: string[];
  readonly var: string | null;
}

/** Why our declaration disagrees with one torch overload, or '' when it agrees. */
function disagreement(ours: readonly SigParam[], theirs: TorchSig): string {
  const pos = ours.filter((p) => p.kind === 'pos').map((p) => p.name);
  const varpos = ours.find((p) => p.kind === 'varpos');
  // torch's parser takes an int-list parameter as `*args` too (`x.view(1, -1)` and `x.view(size=(1, -1))`).
  if (varpos)
    return theirs.var !== null || theirs.pos[0] === varpos.name
      ? ''
      : `*${varpos.name} is neither *args nor '${varpos.name}' in torch (${theirs.pos.join(', ')})`;
  for (let i = 0; i < Math.min(pos.length, theirs.pos.length); i++)
    if (pos[i] !== theirs.pos[i]) return `positional ${i} is '${pos[i]}', torch says '${theirs.pos[i]}'`;
  const kwonlyThere = pos.filter((n) => theirs.kwonly.includes(n));
  return kwonlyThere.length ? `${kwonlyThere.join(', ')} keyword-only in torch` : '';
}

describe('declared torch signatures (extension/core/torch/signatures.ts) agree with the installed torch', function () {
  this.timeout(15 * 60_000);
  let got: Record<string, TorchSig[] | null> | undefined;

  before(async function () {
    const names = Object.fromEntries(Object.entries(SIGNATURE_TEXT).map(([ns, rows]) => [ns, rows.map(([n]) => n)]));
    const r = await runTorchPython(['-W', 'ignore', '-c', SCRIPT, JSON.stringify(names)]);
    if (r.code !== 0 && /No module named 'torch'/.test(r.stderr)) {
      console.log('    skipped: python3-torch is not installed (test/scripts/ensurePytorch.sh installs it)');
      this.skip();
    }
    assert.strictEqual(r.code, 0, r.stderr);
    got = JSON.parse(r.stdout) as Record<string, TorchSig[] | null>;
  });

  for (const [ns, rows] of Object.entries(SIGNATURE_TEXT)) {
    it(`${ns}: every declared signature matches one of torch's`, () => {
      const wrong: string[] = [];
      const absent: string[] = [];
      const unchecked: string[] = [];
      for (const [name, text] of rows) {
        const theirs = got![`${ns}.${name}`];
        if (theirs === null || theirs === undefined) {
          absent.push(name);
          continue;
        }
        if (theirs.length === 0) {
          unchecked.push(name); // no stub, no Python signature, no signature line in its docstring
          continue;
        }
        const ours = parseSignature(text);
        const why = theirs.map((t) => disagreement(ours, t));
        if (!why.includes('')) wrong.push(`${ns}.${name}(${text}): ${why.join(' | ')}`);
      }
      if (unchecked.length) console.log(`    torch declares no signature to compare for: ${unchecked.map((n) => `${ns}.${n}`).join(', ')}`);
      if (absent.length) console.log(`    not in the installed torch (newer): ${absent.map((n) => `${ns}.${n}`).join(', ')}`);
      assert.deepStrictEqual(wrong, []);
    });
  }
});
