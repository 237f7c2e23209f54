// `npm run lint:cycles`: fails if the source imports itself in a circle, at two levels.
//   files  dpdm's import graph of extension/ and webview/ (type-only imports included: a cycle of types is
//          still two files that cannot be read one after the other), every cycle it finds;
//   rooms  the same edges folded onto the rooms of ARCHITECTURE.md (extension/core, extension/features,
//          extension/worker, webview/playground, ...): two rooms that import each other have no inside and
//          outside, even when no single file closes the loop (features/analysisRunner → worker/workerMessages
//          → features/analysisJob was such a case).
// Plain JavaScript, like runAll.mjs: it has to run when the TypeScript build fails.
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';
import { parseDependencyTree, parseCircular, shortenTree } from 'dpdm';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ENTRIES = ['extension/**/*.ts', 'webview/**/*.ts'];

/**
 * The room a file belongs to: the first two path segments (`extension/core`, `webview/components`), so a room's
 * subfolders (core/cost, core/interpreter) are inside it. Files at a zone's top level (extension/main.ts,
 * webview/host.ts) are the zone's entry room.
 */
function roomOf(file) {
  const parts = file.split('/');
  return parts.length > 2 ? `${parts[0]}/${parts[1]}` : `${parts[0]}/(top)`;
}

/** Strongly connected components with more than one room (Tarjan), each sorted, with one edge path as witness. */
function roomCycles(edges) {
  const nodes = [...new Set([...edges.keys(), ...[...edges.values()].flatMap((m) => [...m.keys()])])].sort();
  const index = new Map();
  const low = new Map();
  const onStack = new Set();
  const stack = [];
  const sccs = [];
  let next = 0;
  const visit = (v) => {
    index.set(v, next);
    low.set(v, next);
    next++;
    stack.push(v);
    onStack.add(v);
    for (const w of [...(edges.get(v)?.keys() ?? [])].sort()) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
    }
    if (low.get(v) === index.get(v)) {
      const scc = [];
      let w;
      do {
        w = stack.pop();
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) sccs.push(scc.sort());
    }
  };
  for (const v of nodes) if (!index.has(v)) visit(v);
  return sccs;
}

async function main() {
  const tree = shortenTree(root, await parseDependencyTree(ENTRIES, { context: root, cwd: root, transform: false }));
  const fileCycles = parseCircular(tree);

  // room → room → one file edge that crosses (for the message)
  const roomEdges = new Map();
  for (const [issuer, deps] of Object.entries(tree)) {
    for (const dep of deps ?? []) {
      if (!dep.id || dep.id.startsWith('node_modules/') || dep.id.startsWith('..')) continue;
      const from = roomOf(issuer);
      const to = roomOf(dep.id);
      if (from === to) continue;
      if (!roomEdges.has(from)) roomEdges.set(from, new Map());
      const out = roomEdges.get(from);
      if (!out.has(to)) out.set(to, `${issuer} → ${dep.id}`);
    }
  }
  const rooms = roomCycles(roomEdges);

  const files = Object.keys(tree).filter((f) => f.startsWith('extension/') || f.startsWith('webview/')).length;
  console.log(`[cycles] ${files} files under ${ENTRIES.join(' ')}`);
  fileCycles.forEach((cycle, i) => console.log(`  file cycle ${i + 1}) ${[...cycle, cycle[0]].join(' → ')}`));
  rooms.forEach((scc, i) => {
    console.log(`  room cycle ${i + 1}) ${scc.join(' ↔ ')}`);
    for (const from of scc)
      for (const to of scc) {
        const via = roomEdges.get(from)?.get(to);
        if (via) console.log(`      ${via}`);
      }
  });
  console.log(`[cycles] ${fileCycles.length} file cycle(s), ${rooms.length} room cycle(s)`);
  if (fileCycles.length > 0 || rooms.length > 0) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
