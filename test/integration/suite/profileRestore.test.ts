// The profile view comes back after a real window reload (Developer: Reload Window) showing what it showed
// before: the same file and model, the convention and input shape picked inside the view, the same totals and
// the same table rows. The reload restarts the extension host and this suite, so the file has two parts: the
// first run (phase `main`, this file last) picks the convention in the view and sets the input shape, records what it shows
// and asks the runner to reload the window afterwards; the run after the reload (phase `afterReload`) reads the
// panel VS Code restored through the extension's WebviewPanelSerializer and compares. Needs the code-server runner.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { canScreenshot, queryFrames, queryOne, reloadAfterRun, runPhase, screenshot, selectOption } from './driver';
import { cliJson, nextEvent, openPython, workspaceUri } from './helpers';

/** restore.py's second entry: the view opens on the first, the test picks this one in the view. */
const FIRST = 'Stem()';
const ENTRY = 'Stem(32)';
/** Not the default convention (ptflops), and one whose MACs label the totals show. */
const CONVENTION = 'torchinfo';
/** Not the default 1×3×224×224. */
const INPUT = '1x3x160x160';

interface ViewHandle {
  rendered(entry: string): Promise<unknown>;
}
interface Summary {
  readonly entry: string;
  readonly view?: ViewHandle;
}

/** What the view shows, read from its DOM through the runner. */
interface Shown {
  readonly heading: string;
  /** The option picked in the view's Model select. */
  readonly model: string;
  readonly convention: string;
  readonly totals: readonly string[];
  readonly rows: readonly string[];
}

/** What the first run hands to the run after the reload. */
interface Handover {
  readonly uri: string;
  readonly conventionBefore: unknown;
  readonly shown: Shown;
}

/** Reads the view once it shows ENTRY counted with `convention` for input `input` (e.g. `1×3×160×160`). */
async function readView(convention: string, input: string): Promise<Shown> {
  // The convention picked in the view and the input in its totals; wait for both (the view re-renders on changes).
  const picked = await queryOne('select#convention option:checked', convention);
  const totals = await queryFrames('.totals .total', input);
  const heading = await queryOne('header h1', ENTRY);
  const model = await queryOne('select#entry option:checked', ENTRY);
  // The layer rows of the module summary (restore.py's Stem is flat: every layer shows at the first depth).
  const rows = await queryFrames('table.module-tree tbody tr.layer', 'head');
  return { heading, model, convention: picked, totals, rows };
}

function profileTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('convlens.profileView'));
}

describe('profile view restored after a window reload', function () {
  before(function () {
    if (!canScreenshot) this.skip(); // the reload and the reads in the webview need the code-server runner
  });

  if (runPhase().phase === 'main') {
    it('before the reload: picks a model and a convention in the view, sets an input shape, then asks for a reload', async function () {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      const doc = await openPython('restore.py');
      const conventionBefore = vscode.workspace.getConfiguration().inspect('convlens.convention')?.globalValue ?? null;
      const summary = await vscode.commands.executeCommand<Summary>('convlens.profile', doc.uri.toString(), FIRST);
      assert.ok(summary.view, 'the command returns the view it opened');
      await summary.view.rendered(FIRST);

      // The model through the view's Model <select> (it posts selectEntry: the view's own state changes).
      await selectOption('select#entry', ENTRY);
      await summary.view.rendered(ENTRY);

      // The convention through the view's Convention <select> (real input, its change event re-renders the view from
      // the report it has); the input shape through the command the view's Set button runs (typing into the field
      // races the re-render the convention change causes: the field is replaced and the keys would land in the editor).
      await selectOption('select#convention', CONVENTION);
      await queryOne('select#convention option:checked', CONVENTION);
      await vscode.commands.executeCommand('convlens.setInputShape', doc.uri.toString(), INPUT);
      const shown = await readView(CONVENTION, INPUT.replace(/x/g, '×'));
      // The view's choice is the view's own: the setting every other surface follows is as the user left it.
      assert.strictEqual(vscode.workspace.getConfiguration().inspect('convlens.convention')?.globalValue ?? null, conventionBefore);

      // The summary agrees with the CLI for that convention: one layer row per layer, in order.
      const report = cliJson(doc, ENTRY, CONVENTION);
      assert.strictEqual(shown.rows.length, report.layers.length);
      assert.deepStrictEqual(
        shown.rows.map((r) => r.split(' ')[0]),
        report.layers.map((l) => l.path),
      );
      assert.ok(
        shown.rows.some((r) => r.startsWith('conv Conv2d 1×32×80×80')),
        'the first layer sees the input shape set for the file (160×160, stride 2)',
      );
      assert.strictEqual(profileTabs().length, 1, 'one profile view is open');

      const handover: Handover = { uri: doc.uri.toString(), conventionBefore, shown };
      await reloadAfterRun(handover);
    });
  } else {
    const handover = runPhase().handover as Handover;

    after(async () => {
      // Leave the run folder's settings and memento as the first run found them.
      await vscode.commands.executeCommand('convlens.setInputShape', handover.uri, '');
      await vscode.workspace
        .getConfiguration()
        .update('convlens.convention', handover.conventionBefore ?? undefined, vscode.ConfigurationTarget.Global);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    });

    it('after the reload: the restored view shows the same model, convention, input shape and rows', async function () {
      assert.ok(handover?.shown, 'the first run handed over what the view showed');
      if (profileTabs().length === 0) {
        await nextEvent(
          vscode.window.tabGroups.onDidChangeTabs,
          () => profileTabs().length > 0,
          'the profile view tab to be restored',
        ).catch(async (err: unknown) => {
          const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => `${t.label} (${t.input?.constructor.name})`);
          await screenshot({ name: 'profile-restore-missing' }).catch(() => undefined);
          throw new Error(`${err instanceof Error ? err.message : String(err)}; tabs: ${JSON.stringify(tabs)}`);
        });
      }
      // Nothing here opens the view: VS Code restores the panel and activates the extension for its serializer.
      const restored = await readView(CONVENTION, INPUT.replace(/x/g, '×')).catch(async (err: unknown) => {
        // Say what the restored view shows instead, and whether its tab is the visible one and its file Python.
        const status = await queryFrames('p.status', undefined, 2_000).catch(() => []);
        const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === handover.uri);
        await screenshot({ name: 'profile-restore-failed' }).catch(() => undefined);
        throw new Error(
          `${err instanceof Error ? err.message : String(err)}; status: ${JSON.stringify(status)}; ` +
            `tab active: ${profileTabs()[0]?.isActive}; file language: ${doc?.languageId}`,
        );
      });
      assert.deepStrictEqual(restored, handover.shown);
      assert.strictEqual(profileTabs().length, 1, 'the one profile view is back, not a second one');
      assert.strictEqual(profileTabs()[0]!.label, `Profile: ${ENTRY}`);
      assert.strictEqual(handover.uri, workspaceUri('restore.py').toString());
    });
  }
});
