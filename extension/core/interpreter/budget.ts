// What one analysis may spend: steps (evaluated nodes plus the elements that O(n) builtins touch),
// memory (the estimated bytes of the strings, lists, tuples and dicts it builds, counted before a large
// one is built), wall-clock time, and the caller's cancellation. Every stop is a BudgetExceeded, caught
// at the analysis boundary and reported as a diagnostic; nothing here knows about the AST or Python.
//
// The interpreter owns one Budget and calls `step` per evaluated node, `work` where a builtin walks n
// elements, and `reserve` before it builds something large. Value constructors (values.ts) call
// `noteAlloc`, which charges the budget of the interpreter that ran last: they cannot throw mid-build
// (a half-built value would leak into the caller), so the charge surfaces at the next `step`.
import type { SourceRange } from '../resultTypes';

/** Why an analysis stopped early: `budget` (steps, memory, time, depth, length limits) or `cancelled`. */
export type StopCode = 'budget' | 'cancelled';

/** Thrown when a budget or limit is exhausted or the analysis is cancelled; caught only at the analysis boundary. */
export class BudgetExceeded extends Error {
  constructor(
    message: string,
    readonly range?: SourceRange,
    readonly code: StopCode = 'budget',
  ) {
    super(message);
  }
}

export interface BudgetLimits {
  /** Steps: one per evaluated node, plus one per element an O(n) builtin touches. */
  readonly stepBudget: number;
  /** Estimated bytes of the containers and strings the analysis builds, in total. */
  readonly memoryBudget: number;
  /** Wall-clock cap in milliseconds (absent: none). */
  readonly timeLimitMs?: number;
  /** Polled at checkpoints; true stops the analysis with code `cancelled`. */
  readonly isCancelled?: () => boolean;
}

/** Estimated bytes per container slot (a pointer plus its share of the value object) and per character. */
export const SLOT_BYTES = 16;
export const CHAR_BYTES = 2;
/** Characters of a string built count this many to one step (copying is cheap next to evaluating a node). */
const CHARS_PER_STEP = 2;
/** Steps between the (comparatively costly) clock and cancellation checks. */
const CHECK_EVERY = 4096;

const mb = (bytes: number): string => `${Math.round(bytes / (1024 * 1024)).toLocaleString('en-US')} MB`;

export class Budget {
  steps = 0;
  bytes = 0;
  private readonly started = Date.now();
  private nextCheck = CHECK_EVERY;

  constructor(readonly limits: BudgetLimits) {}

  /** One evaluated node, or `n` elements of work; throws when a limit is passed. */
  step(n = 1, where?: () => SourceRange | undefined): void {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- values.ts constructors charge the budget of the analysis running now
    active = this;
    this.steps += n;
    if (this.steps > this.limits.stepBudget) {
      throw new BudgetExceeded(
        `analysis stopped: step budget of ${this.limits.stepBudget.toLocaleString('en-US')} steps exhausted (a very long loop, a builtin over a very long sequence, or a very large model?)`,
        where?.(),
      );
    }
    if (this.bytes > this.limits.memoryBudget) throw this.memoryStop(where?.());
    if (this.steps >= this.nextCheck) {
      this.nextCheck = this.steps + CHECK_EVERY;
      this.checkpoint(where);
    }
  }

  /** Back to an earlier spend (the next entry of a shared analysis starts where the module's own run ended). */
  rewind(steps: number, bytes: number): void {
    this.steps = steps;
    this.bytes = bytes;
    this.nextCheck = steps + CHECK_EVERY;
  }

  /** Work inside a builtin that touches `n` elements (sum, in, ==, sorted, iteration...). */
  work(n: number, where?: () => SourceRange | undefined): void {
    if (n > 0) this.step(n, where);
  }

  /** Before building a container of `slots` elements and `chars` characters: throws if it would not fit. */
  reserve(slots: number, chars = 0, where?: () => SourceRange | undefined): void {
    const bytes = slots * SLOT_BYTES + chars * CHAR_BYTES;
    if (!(this.bytes + bytes <= this.limits.memoryBudget)) throw this.memoryStop(where?.(), bytes);
    this.work(slots + Math.ceil(chars / CHARS_PER_STEP), where);
  }

  /** Charges a value already built (values.ts constructors); a passed limit surfaces at the next step. */
  charge(slots: number, chars: number): void {
    this.bytes += slots * SLOT_BYTES + chars * CHAR_BYTES;
    this.steps += slots + Math.floor(chars / CHARS_PER_STEP);
  }

  private memoryStop(range: SourceRange | undefined, wanted?: number): BudgetExceeded {
    const what = wanted !== undefined && wanted > this.limits.memoryBudget / 4 ? ` (one value of about ${mb(wanted)})` : '';
    return new BudgetExceeded(
      `analysis stopped: memory budget of ${mb(this.limits.memoryBudget)} exhausted${what} (strings, lists, tuples and dicts built by the analysed code)`,
      range,
    );
  }

  private checkpoint(where?: () => SourceRange | undefined): void {
    if (this.limits.isCancelled?.()) throw new BudgetExceeded('analysis cancelled', undefined, 'cancelled');
    const limit = this.limits.timeLimitMs;
    if (limit !== undefined && Date.now() - this.started > limit) {
      throw new BudgetExceeded(`analysis stopped: time limit of ${(limit / 1000).toLocaleString('en-US')} s reached`, where?.());
    }
  }
}

let active: Budget | undefined;

/** Charges a just-built value to the budget of the analysis running now (values.ts constructors call it). */
export function noteAlloc(slots: number, chars = 0): void {
  active?.charge(slots, chars);
}
