// The process environment as the analysis sees it: `os.environ` / `os.getenv` read the variables the
// user gave (setting `convlens.environment`, CLI `--env NAME=VALUE`) and nothing else — a variable is
// unset by default, as in a clean shell — with an info diagnostic wherever code reads one, so the answer
// is never silent. The rest of `os` (paths, files) stays unknown: the analysis never touches the machine.
import {
  NONE,
  FALSE,
  builtin,
  bool,
  list,
  str,
  tuple,
  unknown,
  type ClassV,
  type InstanceV,
  type PyModuleV,
  type Value,
  type CallSite,
} from './values';
import { repr, type Interpreter } from './eval';
import { shownString } from '../messageText';

/** `os` and `os.environ` over the analysis environment; undefined for any other module name. */
export function osModule(interp: Interpreter, name: string): PyModuleV | undefined {
  if (name !== 'os') return undefined;
  const env = interp.environment;
  const f = (v: Value) => interp.force(v);
  const note = (key: string, site: CallSite): void => {
    const given = env.get(key);
    interp.diag(
      'info',
      'environment',
      given === undefined
        ? `reads environment variable ${shownString(key, String)}: unset in the analysis environment (give it with the setting convlens.environment or --env ${shownString(key, String)}=VALUE)`
        : `reads environment variable ${shownString(key, String)}=${given} from the analysis environment`,
      site.range,
    );
  };
  const keyOf = (v: Value | undefined, site: CallSite): string | undefined => {
    const k = f(v ?? NONE);
    if (k.kind === 'str' && !k.opaque) {
      note(k.v, site);
      return k.v;
    }
    return undefined;
  };
  const lookup = (c: { args: Value[] }, site: CallSite, fallback: Value): Value => {
    const k = keyOf(c.args[0], site);
    if (k === undefined) return unknown('an environment variable whose name cannot be known', site.range);
    const v = env.get(k);
    return v === undefined ? fallback : str(v);
  };
  const m = (n: string, fn: (c: { args: Value[] }, site: CallSite) => Value): [string, Value] => [
    n,
    builtin(`os.environ.${n}`, (c, site) => fn({ args: c.args.slice(1) }, site)),
  ];
  const environCls: ClassV = {
    kind: 'class',
    name: '_Environ',
    qualname: '_Environ',
    bases: [],
    mro: [],
    attrs: new Map<string, Value>([
      m('__contains__', (c, site) => {
        const k = keyOf(c.args[0], site);
        return k === undefined ? unknown('an environment variable whose name cannot be known', site.range) : bool(env.has(k));
      }),
      m('__getitem__', (c, site) => {
        const v = lookup(c, site, NONE);
        return v.kind === 'none' ? interp.raise('KeyError', repr(f(c.args[0] ?? NONE)), site.range) : v;
      }),
      m('get', (c, site) => lookup(c, site, c.args[1] ?? NONE)),
      m('setdefault', (c, site) => lookup(c, site, c.args[1] ?? NONE)),
      m('__setitem__', () => NONE),
      m('__len__', () => ({ kind: 'int', v: env.size })),
      m('__iter__', () => list([...env.keys()].map(str))),
      m('keys', () => list([...env.keys()].map(str))),
      m('items', () => list([...env].map(([k, v]) => tuple([str(k), str(v)])))),
    ]),
  };
  environCls.mro = [environCls];
  const environ: InstanceV = { kind: 'instance', cls: environCls, attrs: new Map() };
  const entries = new Map<string, Value>([
    ['environ', environ],
    ['getenv', builtin('os.getenv', (c, site) => lookup(c, site, c.args[1] ?? c.kwargs.get('default') ?? NONE))],
    ['sep', str('/')],
    ['name', str('posix')],
    ['linesep', str('\n')],
    [
      'path',
      {
        kind: 'module',
        name: 'os.path',
        get: (n) => unknown(`os.path.${n} depends on the file system (not read by the analysis)`, undefined, true),
      },
    ],
    ['cpu_count', builtin('os.cpu_count', (_c, site) => unknown('os.cpu_count() depends on the machine', site.range))],
    ['makedirs', builtin('os.makedirs', () => NONE)],
    ['isatty', builtin('os.isatty', () => FALSE)],
  ]);
  return {
    kind: 'module',
    name: 'os',
    get: (n) => entries.get(n) ?? unknown(`os.${n} is not modelled (the analysis does not touch the machine)`, undefined, true),
  };
}
