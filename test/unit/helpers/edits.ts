// Edits people make to a model file, for the incremental-analysis tests (a job after an edit equals a fresh one).

/** Edits of `text` people make: a number in a class body (same width and wider), a comment at a line's end, a line inserted, a module constant. */
export function edits(text: string): { what: string; text: string }[] {
  const lines = text.split('\n');
  const out: { what: string; text: string }[] = [];
  const classes = lines.flatMap((l, i) => (/^class \w+/.test(l) ? [i] : []));
  classes.slice(0, 3).forEach((start, k) => {
    for (let i = start + 1; i < lines.length && /^(\s|$)/.test(lines[i]!); i++) {
      const m = /([=(, ])([2-8])([,) ])/.exec(lines[i]!);
      if (!m) continue;
      // Same width, then wider (every position after it moves).
      const to = k % 2 === 0 ? String(Number(m[2]) + 1) : `${m[2]}0`;
      const edited = [...lines];
      edited[i] = lines[i]!.slice(0, m.index + 1) + to + lines[i]!.slice(m.index + 2);
      out.push({ what: `line ${i + 1}: ${m[2]} → ${to}`, text: edited.join('\n') });
      break;
    }
  });
  const middle = Math.floor(lines.length / 2);
  const code = lines.findIndex((l, i) => i >= middle && /\S/.test(l) && !l.trimEnd().endsWith('\\') && !/["']{3}/.test(l));
  if (code >= 0) {
    const withComment = [...lines];
    withComment[code] = `${lines[code]}  # typed`;
    out.push({ what: `comment typed at the end of line ${code + 1}`, text: withComment.join('\n') });
    const inserted = [...lines.slice(0, code), '# a new line', ...lines.slice(code)];
    if (/^\S/.test(lines[code]!)) out.push({ what: `line inserted before line ${code + 1}`, text: inserted.join('\n') });
  }
  // A comment on a blank line before a top-level definition: no statement changes, later positions move.
  const blank = lines.findIndex((l, i) => i > middle / 2 && l === '' && /^(class|def) /.test(lines[i + 1] ?? ''));
  if (blank >= 0) {
    const withComment = [...lines];
    withComment[blank] = '# typed between definitions';
    out.push({ what: `comment typed on blank line ${blank + 1}`, text: withComment.join('\n') });
  }
  const constant = lines.findIndex((l) => /^[A-Z_]+ = \d+\s*$/.test(l));
  if (constant >= 0) {
    const edited = [...lines];
    edited[constant] = lines[constant]!.replace(/\d+/, (n) => String(Number(n) + 1));
    out.push({ what: `module constant on line ${constant + 1}`, text: edited.join('\n') });
  }
  return out;
}

/** Where two serialised results first differ, with some context (undefined when equal): short failure messages. */
export function difference(got: string, want: string): string | undefined {
  if (got === want) return undefined;
  let k = 0;
  while (got[k] === want[k]) k++;
  return `at ${k}: got …${got.slice(Math.max(0, k - 160), k + 80)}… want …${want.slice(Math.max(0, k - 160), k + 80)}…`;
}
