// What the web runner (runWebInCodeServer.ts) and the web suite agree on.

/** Marks the web suite's report lines in the workbench log (setup.ts writes them, the runner picks them out). */
export const SUITE_LOG_PREFIX = '[web-suite] ';

/** The user setting (read through getConfiguration, declared nowhere) that holds the driver endpoint's URL. */
export const DRIVER_URL_SETTING = 'convlensTest.driverUrl';
