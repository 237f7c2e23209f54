// The command table: every command id this extension's glue registers, with its palette title. Kept free of
// vscode imports so test/unit/manifest.test.ts can check package.json against it in plain Node.

export const commandTitles = {
  'convlens.profile': 'Profile Model',
  'convlens.setInputShape': 'Set Input Shape',
  'convlens.selectConvention': 'Select Counting Convention',
  'convlens.refresh': 'Re-analyse',
  'convlens.showLog': 'Show Log',
} as const;

export type CommandId = keyof typeof commandTitles;

/** The palette category of every Conv Lens command. */
export const commandCategory = 'Conv Lens';

/** The only commands a hover's links may run (MarkdownString.isTrusted.enabledCommands). */
export const hoverCommands: readonly CommandId[] = ['convlens.profile', 'convlens.setInputShape', 'convlens.selectConvention'];

/** A `command:` link with JSON arguments, for trusted markdown. */
export function commandLink(id: CommandId, args: readonly unknown[] = []): string {
  return `command:${id}?${encodeURIComponent(JSON.stringify(args))}`;
}
