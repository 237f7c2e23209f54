// The CLI's process entry (bundled to dist/cli.js with a shebang): runs `main` and sets the exit code.
import { main } from './main';

process.exitCode = main(process.argv.slice(2));
