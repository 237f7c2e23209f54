// Marks the web suite's report lines in the workbench log (setup.ts writes them, runWebInCodeServer.ts picks them out).
export const SUITE_LOG_PREFIX = '[web-suite] ';
