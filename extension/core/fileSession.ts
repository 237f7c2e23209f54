// One file's analyses within one job: the editor lists a file's entries and profiles each of them, and
// all of them share one session, so the file's module body (and every module it imports) runs once per
// job, not once per entry. Each entry starts from what the module's run left (Session.beginEntry): its
// budget, diagnostics and recorded ops are its own. An entry that ends in an error (a raise, a budget
// stop, an interpreter defect) may leave shared state half-made, so the next entry gets a fresh session.
import type { AnalysisOptions } from './hostTypes';
import type { ClassInfo, CoreDiagnostic, FactoryInfo } from './resultTypes';
import { Session } from './analyzer';
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

  /** `options` is read each time a session starts (a job passes what is left of its time). */
  constructor(
    readonly source: string,
    readonly file: string,
    private readonly options: () => AnalysisOptions,
  ) {}

  private current(): Session {
    this.session ??= new Session(this.source, this.file, this.options());
    return this.session;
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
    const result = guard(
      () => profileInSession(this.current(), entry, options),
      (diagnostics) => {
        this.session = undefined;
        return notBuilt(entry, this.file, diagnostics);
      },
    );
    if (this.session?.spoiled) this.session = undefined;
    return result;
  }
}
