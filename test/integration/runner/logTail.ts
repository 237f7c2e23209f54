// The last lines of a run's log file, printed by the runners when a run fails.
import * as fs from 'fs';

export function tail(file: string, lines: number): string {
  if (!fs.existsSync(file)) return '';
  return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
}
