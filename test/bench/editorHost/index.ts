// The benchmark's half inside the real VS Code extension host (loaded as extensionTestsPath by
// test/bench/editor.ts): activation time, the first full analysis of the 3,000-line file, then repeated
// one-character edits on a visible line, each timed until the inlay hint of the edited layer shows the new
// params (what the editor asks the provider for), while the host's event-loop delay is monitored (typing
// lag); then, with the analysis current, hovers on a layer and convention switches (each timed until the
// hint shows the new convention's MACs). Figures go back to the runner as one `BENCH {json}` line.
import { monitorEventLoopDelay, performance } from 'perf_hooks';
import * as vscode from 'vscode';
import { flushLog, forwardLog } from '../../integration/suite/driver';
import { bigModelSource } from '../bigModel';

const extensionId = 'convlens.conv-lens';
const edits = Number(process.env['CONVLENS_BENCH_EDITS'] ?? 30);

function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}

function labelText(label: string | vscode.InlayHintLabelPart[]): string {
  return typeof label === 'string' ? label : label.map((p) => p.value).join('');
}

async function hintOn(editor: vscode.TextEditor, line: number): Promise<string | undefined> {
  const range = editor.visibleRanges[0] ?? new vscode.Range(0, 0, 60, 0);
  const hints = await vscode.commands.executeCommand<vscode.InlayHint[]>('vscode.executeInlayHintProvider', editor.document.uri, range);
  const h = hints.find((x) => x.position.line === line);
  return h ? labelText(h.label) : undefined;
}

/** Edits `cout=NN` on the first block's signature and waits for conv1's hint to show Cin·Cout·3·3 params. */
async function editSeries(editor: vscode.TextEditor, count: number): Promise<number[]> {
  const doc = editor.document;
  const sigLine = [...Array(doc.lineCount).keys()].find((i) => doc.lineAt(i).text.includes('def __init__(self, cin=16, cout='))!;
  const convLine = [...Array(doc.lineCount).keys()].find((i) => i > sigLine && doc.lineAt(i).text.includes('self.conv1 = nn.Conv2d('))!;
  const latencies: number[] = [];
  for (let i = 0; i < count; i++) {
    const text = doc.lineAt(sigLine).text;
    const at = text.indexOf('cout=') + 'cout='.length;
    const cout = Number(/^\d+/.exec(text.slice(at))![0]);
    const next = cout === 32 ? 33 : 32;
    const expected = `${((16 * next * 9) / 1000).toFixed(2)}K params`;
    const started = performance.now();
    await editor.edit((b) => b.replace(new vscode.Range(sigLine, at, sigLine, at + String(cout).length), String(next)));
    for (let tries = 0; tries < 50; tries++) {
      const hint = await hintOn(editor, convLine);
      if (hint?.startsWith(expected)) break;
      if (tries === 49) throw new Error(`hint never showed ${expected} (last: ${hint})`);
    }
    latencies.push(performance.now() - started);
  }
  return latencies;
}

function summary(latencies: readonly number[]): { edits: number; medianMs: number; p95Ms: number; maxMs: number; samples: number[] } {
  return {
    edits: latencies.length,
    medianMs: quantile(latencies, 0.5),
    p95Ms: quantile(latencies, 0.95),
    maxMs: Math.max(...latencies),
    samples: [...latencies],
  };
}

/** Hovers on the first conv of the file once its analysis is current: the time for VS Code to get the hover. */
async function hovers(editor: vscode.TextEditor, count: number): Promise<number[]> {
  const doc = editor.document;
  const line = [...Array(doc.lineCount).keys()].find((i) => doc.lineAt(i).text.includes('self.conv1 = nn.Conv2d('))!;
  const at = new vscode.Position(line, doc.lineAt(line).text.indexOf('Conv2d') + 2);
  const out: number[] = [];
  for (let i = 0; i < count + 1; i++) {
    const t0 = performance.now();
    const h = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at);
    if (!h.length) throw new Error('no hover on conv1');
    if (i > 0) out.push(performance.now() - t0);
  }
  return out;
}

/** Switches the convention (the profile view's switch updates the same setting) and waits for conv1's hint to change. */
async function conventionSwitches(editor: vscode.TextEditor, count: number): Promise<number[]> {
  const doc = editor.document;
  const convLine = [...Array(doc.lineCount).keys()].find((i) => doc.lineAt(i).text.includes('self.bn1 = nn.BatchNorm2d('))!;
  const out: number[] = [];
  const config = () => vscode.workspace.getConfiguration('convlens');
  for (let i = 0; i < count + 1; i++) {
    const before = await hintOn(editor, convLine);
    const next = i % 2 === 0 ? 'thop' : 'ptflops';
    const t0 = performance.now();
    await config().update('convention', next, vscode.ConfigurationTarget.Global);
    for (let tries = 0; ; tries++) {
      const hint = await hintOn(editor, convLine);
      if (hint !== before) break;
      if (tries === 200) throw new Error(`the hint never changed after switching to ${next} (still ${hint})`);
    }
    if (i > 0) out.push(performance.now() - t0);
  }
  await config().update('convention', undefined, vscode.ConfigurationTarget.Global);
  return out;
}

export async function run(): Promise<void> {
  const result: Record<string, unknown> = {};
  try {
    const ext = vscode.extensions.getExtension(extensionId);
    if (!ext) throw new Error(`${extensionId} not loaded`);
    const t0 = performance.now();
    await ext.activate();
    result['activationMs'] = performance.now() - t0;

    const folder = vscode.workspace.workspaceFolders![0]!;
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'big.py'));
    const editor = await vscode.window.showTextDocument(doc);
    result['lines'] = doc.lineCount;
    const t1 = performance.now();
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
    result['firstFullAnalysisMs'] = performance.now() - t1;
    result['entries'] = lenses.length / 3;

    const lag = monitorEventLoopDelay({ resolution: 1 });
    for (const debounceMs of [300, 0]) {
      await vscode.workspace.getConfiguration('convlens').update('analysis.debounceMs', debounceMs, vscode.ConfigurationTarget.Global);
      await editSeries(editor, 2); // warm-up
      lag.reset();
      lag.enable();
      const latencies = await editSeries(editor, edits);
      lag.disable();
      result[`debounce${debounceMs}`] = {
        ...summary(latencies),
        eventLoopDelayMs: { p50: lag.percentile(50) / 1e6, p99: lag.percentile(99) / 1e6, max: lag.max / 1e6 },
      };
    }
    // The analysis is current (debounce 0, the last edit's hint shown): hovers and convention switches read it.
    await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri);
    result['hover'] = summary(await hovers(editor, edits));
    result['conventionSwitch'] = summary(await conventionSwitches(editor, Math.min(edits, 10)));
    // The small file: the same edits on the first 300 lines.
    const small = await vscode.workspace.openTextDocument({ language: 'python', content: bigModelSource(300) });
    const smallEditor = await vscode.window.showTextDocument(small);
    await editSeries(smallEditor, 2);
    result['debounce0small'] = summary(await editSeries(smallEditor, edits));
    await vscode.workspace.getConfiguration('convlens').update('analysis.debounceMs', undefined, vscode.ConfigurationTarget.Global);
  } catch (err) {
    result['error'] = err instanceof Error ? (err.stack ?? err.message) : String(err);
  }
  forwardLog(`BENCH ${JSON.stringify(result)}\n`);
  await flushLog();
}
