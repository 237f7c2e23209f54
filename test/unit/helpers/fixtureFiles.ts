// Shared by the engine tests: repo paths, a SourceHost over real files, the torchvision sources,
// and a small arithmetic evaluator for the formulas written in fixture expectations.
import * as fs from 'fs';
import * as path from 'path';
import type { SourceHost } from '../../../extension/core';

/** The repository root (tests run from out/test/unit/...). */
export const repoRoot = path.resolve(__dirname, '../../../..');
export const fixturePath = (...p: string[]) => path.join(repoRoot, 'test', 'fixtures', ...p);
export const torchvisionRoot = path.join(repoRoot, '.cache', 'torchvision-0.14.1');

export function fileHost(): SourceHost {
  return {
    readFile: (p) => {
      try {
        return fs.readFileSync(p, 'utf8');
      } catch {
        return undefined;
      }
    },
    isDirectory: (p) => {
      try {
        return fs.statSync(p).isDirectory();
      } catch {
        return false;
      }
    },
  };
}

/** Evaluates `+ - * / // ** ( )` over integers and decimals, Python precedence. Throws on anything else. */
export function arith(text: string): number {
  const tokens = text.match(/\d+(?:\.\d+)?|\*\*|\/\/|[-+*/()]/g) ?? [];
  if (tokens.join('') !== text.replace(/\s+/g, '')) throw new Error(`not an arithmetic formula: ${text}`);
  let i = 0;
  const peek = () => tokens[i];
  const expr = (): number => {
    let v = term();
    while (peek() === '+' || peek() === '-') v = tokens[i++] === '+' ? v + term() : v - term();
    return v;
  };
  const term = (): number => {
    let v = unary();
    while (peek() === '*' || peek() === '/' || peek() === '//') {
      const op = tokens[i++];
      const r = unary();
      v = op === '*' ? v * r : op === '/' ? v / r : Math.floor(v / r);
    }
    return v;
  };
  const unary = (): number => (peek() === '-' ? (i++, -unary()) : power());
  const power = (): number => {
    const b = atom();
    return peek() === '**' ? (i++, b ** unary()) : b;
  };
  const atom = (): number => {
    const t = tokens[i++];
    if (t === '(') {
      const v = expr();
      if (tokens[i++] !== ')') throw new Error(`unbalanced parentheses in ${text}`);
      return v;
    }
    if (t === undefined || !/^\d/.test(t)) throw new Error(`unexpected '${t}' in ${text}`);
    return Number(t);
  };
  const v = expr();
  if (i !== tokens.length) throw new Error(`trailing input in ${text}`);
  return v;
}

/** Parses `((1, 8, 7, 7), (1, 8, 7, 7))`, a module's tuple output, into nested arrays; a flat tuple as tupleOf. */
export function outputOf(text: string): unknown {
  if (!/\(\s*\(/.test(text)) return tupleOf(text);
  return JSON.parse(text.replace(/\(/g, '[').replace(/\)/g, ']').replace(/None/g, 'null')) as unknown;
}

/** Parses `(1, 8, 30, 30)` into numbers. */
export function tupleOf(text: string): number[] {
  return text
    .replace(/[()\s]/g, '')
    .split(',')
    .filter((x) => x)
    .map(Number);
}
