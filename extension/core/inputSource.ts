// How every surface (CodeLens, hover, status bar, profile view, notebook output, CLI) says where a
// profile's input shape came from. One wording, so the editor and the CLI never disagree; an input whose
// H×W (or whole shape) was assumed is always marked with ⚠.
import type { InputSource } from './profileEntry';

const labels: Readonly<Record<InputSource, string>> = {
  explicit: 'given',
  setting: 'set for this file',
  comment: '# convlens: input',
  inferred: 'inferred',
  assumed: '⚠ assumed',
  default: '⚠ assumed',
};

/** A short label: `# convlens: input`, `inferred`, `⚠ assumed`; `⚠ no input` when there is none. */
export function inputSourceLabel(source: InputSource | null | undefined): string {
  return source ? labels[source] : '⚠ no input';
}

/** True when the shape is not fully known from the user or the model (shown with a warning sign). */
export function isAssumedInput(source: InputSource | null | undefined): boolean {
  return !source || source === 'assumed' || source === 'default';
}

/** The label and, when there is one, the detail: `⚠ assumed: channels from conv1 (Conv2d expects 3); 224×224 assumed`. */
export function inputSourceText(source: InputSource | null | undefined, note: string | undefined): string {
  const label = inputSourceLabel(source);
  if (!note || note === label || note === 'given') return label;
  // A note that already starts with the label (`# convlens: input, line 7`) is said once.
  return note.startsWith(label) ? note : `${label}: ${note}`;
}
