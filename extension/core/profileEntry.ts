// Profiling one entry: build the module tree, pick the input shape (explicit, a `# convlens: input`
// comment, or inferred from what the forward pass needs, see inferInput.ts), run the
// abstract forward pass, and count MACs under every convention. The result is JSON-safe and feeds
// the CLI, the editor and the notebook renderer alike. It never throws; failures are diagnostics.
import { invariantViolations } from './invariant';
import type { AnalysisOptions } from './hostTypes';
import type { CoreDiagnostic, JsonValue, LayerRecord, ModuleNode, OutputShape, Shape } from './resultTypes';
import { Session } from './analyzer';
import { guard } from './guard';
import { BudgetExceeded, PyRaise } from './interpreter/eval';
import { shownJson } from './messageText';
import {
  computeAllProfiles,
  CONVENTION_NAMES,
  type ConventionName,
  type ConventionProfile,
  type CostInput,
  type CostLayer,
  type FunctionalOp,
} from './cost';
import type { ModuleData } from './interpreter/values';
import { directivesOf, inputDirectiveFor } from './directives';
import { inferInput } from './inferInput';

export interface ProfileOptions extends AnalysisOptions {
  /** The input shape, e.g. [1, 3, 224, 224]. Wins over a `# convlens: input` comment. */
  readonly input?: readonly number[];
  /** Where `input` came from: the caller's own argument (`--input`, default) or a per-file setting. */
  readonly inputFrom?: 'explicit' | 'setting';
  /** Spatial size used when nothing else gives the input shape (default 224). */
  readonly defaultResolution?: number;
}

/**
 * Where the input shape came from: given by the caller (`--input`, the profile view), a per-file setting
 * (Set Input Shape), a `# convlens: input` comment, inferred from the model, or inferred with part of it
 * (H×W) assumed. `default` is what reports saved before 0.2 say for an assumed input.
 */
export type InputSource = 'explicit' | 'setting' | 'comment' | 'inferred' | 'assumed' | 'default';

export interface ProfiledLayer extends LayerRecord {
  /** Input shapes of the first call; null when the layer never ran or its input is unknown. */
  readonly inputShape: Shape | null;
  readonly outputShape: Shape | null;
  /** The first call's whole result when forward returned a tuple or list (`outputShape` is its first tensor). */
  readonly output?: OutputShape;
  readonly calls: number;
}

/** A module that is not a layer (a block, a Sequential, the model itself) and what its last call returned. */
export interface ProfiledModule {
  readonly path: string;
  /** The last call's output (a container's output is what its last call returned); null when not known. */
  readonly outputShape: OutputShape | null;
  readonly calls: number;
  /** Why `outputShape` is null. */
  readonly reason?: string;
}

export interface ProfileResult {
  readonly entry: string;
  readonly file: string;
  readonly status: 'ok' | 'error';
  readonly input: readonly number[] | null;
  readonly inputSource: InputSource | null;
  /** Where exactly the input came from (the comment's line, the layer it was inferred from), or why there is none. */
  readonly inputNote?: string;
  readonly outputShape: Shape | null;
  readonly layers: readonly ProfiledLayer[];
  /** The modules that are not layers, in tree order (absent when the forward pass did not run). */
  readonly modules?: readonly ProfiledModule[];
  readonly functionals: readonly FunctionalOp[];
  readonly tree?: ModuleNode;
  readonly totals: { readonly params: number | null };
  /** Every convention's figures (absent when the forward pass could not run). */
  readonly profiles?: Readonly<Record<ConventionName, ConventionProfile>>;
  readonly diagnostics: readonly CoreDiagnostic[];
}

/** Builds `entry`, runs its forward pass at an input shape and counts MACs under every convention. Never throws. */
export function profileEntry(source: string, file: string, entry: string, options: ProfileOptions = {}): ProfileResult {
  return guard(
    () => profileUnguarded(source, file, entry, options),
    (diagnostics) => notBuilt(entry, file, diagnostics),
  );
}

/** The result of an entry that did not build: no input, no layers, no totals. */
export function notBuilt(entry: string, file: string, diagnostics: readonly CoreDiagnostic[]): ProfileResult {
  return {
    entry,
    file,
    status: 'error',
    input: null,
    inputSource: null,
    outputShape: null,
    layers: [],
    functionals: [],
    totals: { params: null },
    diagnostics,
  };
}

function profileUnguarded(source: string, file: string, entry: string, options: ProfileOptions): ProfileResult {
  return profileInSession(new Session(source, file, options), entry, options);
}

/**
 * Profiles `entry` in `session` (which may have profiled other entries of its file before, see
 * Session.beginEntry). Only the per-entry options (input, inputFrom, defaultResolution) are read here.
 */
export function profileInSession(session: Session, entry: string, options: ProfileOptions): ProfileResult {
  const { source, file } = session;
  session.beginEntry();
  const recorder = session.forward;
  const built = session.evaluate(entry);
  const base = { entry, file };
  if (!built.built || !built.root) return notBuilt(entry, file, [...session.diagnostics]);
  const { tree, layers, totalParams, pathOf } = built.built;
  const head = /^\s*([A-Za-z_][A-Za-z0-9_]*)/.exec(entry)?.[1];
  let input: number[] | undefined;
  let inputSource: InputSource | null = null;
  let inputNote: string;
  const directive = options.input ? undefined : inputDirectiveFor(directivesOf(source), [head, built.root.cls.name]);
  if (options.input) {
    input = [...options.input];
    inputSource = options.inputFrom ?? 'explicit';
    inputNote = inputSource === 'setting' ? 'set for this file' : 'given';
  } else if (directive) {
    input = [...directive.shape];
    inputSource = 'comment';
    inputNote = `# convlens: input, line ${directive.line + 1}`;
  } else {
    const outcome = inferInput(session.interp, layers, options.defaultResolution ?? 224, (shape) => {
      const prev = recorder.pathOf;
      recorder.pathOf = pathOf;
      try {
        return session.interp.force(
          session.interp.callValue(
            built.root!,
            { args: [{ kind: 'tensor', shape }], kwargs: new Map() },
            { range: built.root!.module.site },
          ),
        );
      } finally {
        recorder.pathOf = prev;
      }
    });
    if (outcome.ok) {
      input = outcome.inferred.input;
      inputSource = outcome.inferred.assumed ? 'assumed' : 'inferred';
      inputNote = outcome.inferred.note;
    } else {
      inputNote = `cannot infer the input shape: ${outcome.reason}`;
    }
  }

  let outputShape: Shape | null = null;
  let forwardError: string | undefined;
  if (!input) {
    session.interp.diag(
      'warning',
      'input',
      `no input shape for '${entry}' (${inputNote}): set one (--input 1x3x224x224, or a '# convlens: input 1x3x224x224' comment above the class)`,
    );
  } else {
    recorder.pathOf = pathOf;
    recorder.active = true;
    try {
      const out = session.interp.force(
        session.interp.callValue(
          built.root,
          { args: [{ kind: 'tensor', shape: input }], kwargs: new Map() },
          { range: built.root.module.site },
        ),
      );
      // The output shape: a tensor, or the first tensor of a tuple or dict (segmentation models return {'out': ...}).
      const first = out.kind === 'tuple' || out.kind === 'list' ? out.items[0] : out.kind === 'dict' ? [...out.map.values()][0]?.[1] : out;
      const t = first ? session.interp.force(first) : undefined;
      if (t?.kind === 'tensor') outputShape = t.shape;
      else if (out.kind === 'unknown')
        session.interp.diag('warning', 'forward', `forward output cannot be known: ${out.reason}`, out.range);
    } catch (e) {
      const msg =
        e instanceof BudgetExceeded
          ? e.message
          : e instanceof PyRaise
            ? `forward raised ${e.pyMessage}`
            : `forward stopped: ${e instanceof Error ? e.message : String(e)}`;
      forwardError = msg;
      session.interp.diag(
        'error',
        e instanceof BudgetExceeded ? e.code : 'forward',
        msg,
        e instanceof BudgetExceeded || e instanceof PyRaise ? e.range : undefined,
      );
    } finally {
      recorder.active = false;
    }
  }

  const dataOf = new Map<string, ModuleData>();
  for (const [m, p] of pathOf) dataOf.set(p, m);
  const profiled: ProfiledLayer[] = layers.map((l) => {
    const m = dataOf.get(l.path);
    const calls = m?.calls ?? [];
    const output = calls[0]?.output;
    return {
      ...l,
      inputShape: calls[0]?.inputShapes[0] ?? null,
      outputShape: calls[0]?.outputShape ?? null,
      ...(output ? { output } : {}),
      calls: calls.length,
    };
  });
  // Where the forward pass stopped being known (a call with an unknown input or output, or an unknown
  // result): a layer that then records no call may have run in torch, so its cost is unknown, not 0.
  const firstUnknownCall = [...dataOf.values()].flatMap((m) => m.calls).find((c) => c.reason !== undefined)?.reason;
  const stoppedAt = firstUnknownCall ?? forwardError ?? (input && !outputShape ? 'the forward pass result is not known' : undefined);
  // Copies: a shared session empties its recorder and rewinds its diagnostics for the next entry.
  const functionals = [...recorder.functionals];
  const layerPaths = new Set(layers.map((l) => l.path));
  const modules: ProfiledModule[] | undefined = input
    ? [...dataOf]
        .filter(([path]) => !layerPaths.has(path))
        .map(([path, m]) => {
          const last = m.calls[m.calls.length - 1];
          const outputShape = last ? (last.output ?? last.outputShape) : null;
          const reason =
            outputShape !== null
              ? undefined
              : last
                ? (last.reason ?? 'its output is not a tensor')
                : stoppedAt !== undefined
                  ? `not reached by the known part of the forward pass (${stoppedAt})`
                  : 'never called as a whole: its parent calls its children one by one';
          return { path, outputShape, calls: m.calls.length, ...(reason ? { reason } : {}) };
        })
    : undefined;
  let profiles: Record<ConventionName, ConventionProfile> | undefined;
  if (input) {
    const costLayers: CostLayer[] = layers.map((l) => {
      const m = dataOf.get(l.path);
      const calls = m?.calls ?? [];
      const reason =
        l.status === 'unknown'
          ? (l.reason ?? 'unknown')
          : (calls.find((c) => c.reason !== undefined)?.reason ??
            (calls.length === 0 && stoppedAt !== undefined
              ? `not reached by the known part of the forward pass (${stoppedAt})`
              : undefined));
      return {
        path: l.path,
        type: l.type,
        builtin: l.builtin,
        hyperparams: l.hyperparams as Record<string, JsonValue>,
        params: l.params,
        ...(l.torchBase ? { torchBase: l.torchBase } : {}),
        ...(l.paths ? { paths: l.paths } : {}),
        ...(l.paramNames ? { paramNames: l.paramNames } : {}),
        calls: calls.map((c) => ({
          inputShapes: c.inputShapes.map(knownOrNull),
          outputShape: c.outputShape && knownOrNull(c.outputShape),
        })),
        ...(reason ? { unknownReason: reason } : {}),
      };
    });
    const costInput: CostInput = { input, layers: costLayers, functionals, totalParams };
    profiles = computeAllProfiles(costInput);
  }
  const result: ProfileResult = {
    ...base,
    status: 'ok',
    input: input ?? null,
    inputSource,
    inputNote,
    outputShape,
    layers: profiled,
    ...(modules ? { modules } : {}),
    // A functional's string arguments (an einsum equation, a mode) come from the analysed code: shown as tokens.
    functionals: functionals.map((op) => ({ ...op, args: shownJson(op.args) as Record<string, JsonValue> })),
    tree,
    totals: { params: totalParams },
    ...(profiles ? { profiles } : {}),
    diagnostics: [...session.diagnostics],
  };
  return withInvariant(result);
}

/** A profile that breaks the never-silently-wrong rule says so (core/invariant.ts), rather than pass for complete. */
function withInvariant(r: ProfileResult): ProfileResult {
  const broken = invariantViolations(r);
  if (!broken.length) return r;
  const message = `Conv Lens cannot vouch for this profile (an engine defect, please report it): ${broken.join('; ')}`;
  return { ...r, diagnostics: [...r.diagnostics, { severity: 'warning', code: 'invariant', message }] };
}

function knownOrNull(s: Shape): number[] | null {
  return s.every((d) => typeof d === 'number') ? (s as number[]) : null;
}

export { CONVENTION_NAMES };
