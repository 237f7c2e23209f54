// The CLI's process entry (bundled to dist/cliMain.js, which dist/cli.js, launcher.ts, runs): runs `main` and sets the exit code.
import { main } from './main';

process.exitCode = main(process.argv.slice(2));
