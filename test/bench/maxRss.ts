// Preloaded (`node --require out/test/bench/maxRss.js …`) into a process the benchmark spawns: at exit, writes
// the process's peak resident set size (KiB) to the file named by CONVLENS_MAXRSS_FILE.
import * as fs from 'fs';

const out = process.env['CONVLENS_MAXRSS_FILE'];
if (out) process.on('exit', () => fs.writeFileSync(out, String(process.resourceUsage().maxRSS)));
