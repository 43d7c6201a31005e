#!/usr/bin/env node
// Entry point: the CLI is compiled to dist/ by `npm run build`.
import { main } from '../dist/cli/main.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`memweave: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.stderr.write('memweave: this is a bug in memweave; please report it with the command that produced it.\n');
    process.exitCode = 70;
  },
);
