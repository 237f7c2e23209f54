// The command table: every command id this extension's glue registers, with its palette title. Kept free of
// vscode imports so test/unit/manifest.test.ts can check package.json against it in plain Node.

export const commandTitles = {
  'convlens.profile': 'Profile Model',
  'convlens.profileAtCursor': 'Profile Module at Cursor',
  'convlens.profileAll': 'Profile All Modules in File',
  'convlens.setInputShape': 'Set Input Shape',
  'convlens.addInputComment': 'Add Input Shape Comment',
  'convlens.choosePackageRoot': 'Choose the Package Root',
  'convlens.selectConvention': 'Switch Counting Convention',
  'convlens.exportReport': 'Export Report',
  'convlens.toggleInlayHints': 'Toggle Inlay Hints',
  'convlens.visualizeLayer': 'Visualize Layer at Cursor in the Playground',
  'convlens.refresh': 'Re-analyse',
  'convlens.showLog': 'Show Log',
} as const;

export type CommandId = keyof typeof commandTitles;

/** Registered by convPanel.ts (the playground's own glue); listed here so the manifest test checks it too. */
export const playgroundCommand = { id: 'convlens.openPlayground', title: 'Open Convolution Playground' } as const;

/** The palette category of every Conv Lens command. */
export const commandCategory = 'Conv Lens';

/** The only commands a hover's links may run (MarkdownString.isTrusted.enabledCommands). */
export const hoverCommands: readonly CommandId[] = [
  'convlens.profile',
  'convlens.setInputShape',
  'convlens.selectConvention',
  'convlens.visualizeLayer',
];

/** A `command:` link with JSON arguments, for trusted markdown. */
export function commandLink(id: CommandId, args: readonly unknown[] = []): string {
  return `command:${id}?${encodeURIComponent(JSON.stringify(args))}`;
}
