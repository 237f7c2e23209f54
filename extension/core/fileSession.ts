// One file's analyses within one job: the editor lists a file's entries and profiles each of them, and
// all of them share one session, so the file's module body (and every module it imports) runs once per
// job, not once per entry. Each entry starts from what the module's run left (Session.beginEntry): its
// budget, diagnostics and recorded ops are its own. An entry that ends in an error (a raise, a budget
// stop, an interpreter defect) may leave shared state half-made, so the next entry gets a fresh session.
import type { AnalysisOptions } from './hostTypes';
import type { ClassInfo, CoreDiagnostic, FactoryInfo } from './resultTypes';
import { Session } from './analyzer';
import type { LoadEvent } from './binder';
import type { NameEffects } from './interpreter/globalReads';
import { rangeIn } from './interpreter/eval';
import type { StatementMemo } from './reuse';
import { guard } from './guard';
import { notBuilt, profileInSession, type ProfileOptions, type ProfileResult } from './profileEntry';

/** What an entry may set for itself; the rest (host, roots, limits) is the session's. */
export type EntryOptions = Pick<ProfileOptions, 'input' | 'inputFrom' | 'defaultResolution'>;

/** What analyzeFile answers: the classes and factories a file defines. */
export interface FileInfo {
  readonly file: string;
  readonly classes: readonly ClassInfo[];
  readonly factories: readonly FactoryInfo[];
  readonly diagnostics: readonly CoreDiagnostic[];
}

export class FileSession {
  private session: Session | undefined;
  private firstSession: Session | undefined;

  /**
   * `options` is read each time a session starts (a job passes what is left of its time). `record` records
   * the module names each top-level statement and each entry reads and binds (incremental analysis, reuse.ts).
   */
  constructor(
    readonly source: string,
    readonly file: string,
    private readonly options: () => AnalysisOptions,
    private readonly record = false,
  ) {}

  private current(): Session {
    this.session ??= new Session(this.source, this.file, this.options(), this.record);
    this.firstSession ??= this.session;
    return this.session;
  }

  /**
   * The file's top-level statements and what each read and bound as the module first ran (with `record`),
   * undefined when the module has not run or names are not recorded.
   */
  statements(): StatementMemo[] | undefined {
    const s = this.firstSession;
    if (!s || !this.record) return undefined;
    return s.parsed.body.map((st, i) => {
      const { line, endLine } = rangeIn(s.ctx, st.from, Math.max(st.from, st.to - 1));
      return { text: s.parsed.text.slice(st.from, st.to), from: st.from, to: st.to, line, endLine, effects: s.statementEffects[i] };
    });
  }

  /** The classes and factories the file defines (analyzeFile's answer). Never throws. */
  fileInfo(): FileInfo {
    return guard(
      () => {
        const s = this.current();
        // The forward model goes in before the module runs, as for a lone profileEntry.
        void s.forward;
        return { file: this.file, ...s.fileInfo(), diagnostics: [...s.diagnostics] };
      },
      (diagnostics) => {
        this.session = undefined;
        return { file: this.file, classes: [], factories: [], diagnostics };
      },
    );
  }

  /** profileEntry's answer for `entry`, from the shared session. Never throws. */
  profile(entry: string, options: EntryOptions = {}): ProfileResult {
    return this.profileRecorded(entry, options).result;
  }

  /**
   * profile(), with the module names the entry read and bound and the imported code it ran on demand
   * (undefined without `record`, or when it failed).
   */
  profileRecorded(
    entry: string,
    options: EntryOptions = {},
  ): { result: ProfileResult; names: NameEffects | undefined; loads: readonly LoadEvent[] | undefined } {
    let names: NameEffects | undefined;
    let loads: LoadEvent[] | undefined;
    const result = guard(
      () => {
        const s = this.current();
        s.loader.loadLog = this.record ? [] : undefined;
        try {
          const recorded = s.recordNames(() => profileInSession(s, entry, options));
          names = recorded.effects;
          loads = s.loader.loadLog;
          return recorded.result;
        } finally {
          s.loader.loadLog = undefined;
        }
      },
      (diagnostics) => {
        this.session = undefined;
        return notBuilt(entry, this.file, diagnostics);
      },
    );
    if (this.session?.spoiled) this.session = undefined;
    return { result, names, loads };
  }

  /**
   * Stands in for an entry whose last result is reused: runs the imported code it ran on demand, so that the
   * entries after it find the modules as they would had it run (what they load, and report, is the same).
   */
  replayLoads(loads: readonly LoadEvent[]): void {
    if (loads.length === 0) return;
    guard(
      () => {
        const s = this.current();
        s.beginEntry();
        s.loader.replay(loads);
      },
      () => {
        this.session = undefined;
      },
    );
  }
}
