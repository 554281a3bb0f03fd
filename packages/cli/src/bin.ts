#!/usr/bin/env node
// Loaded lazily so that a broken installation (a missing dependency) exits 3, a runtime failure,
// like every other failure the command did not expect.
import('./cli.js')
  .then(({ runCli }) => runCli(process.argv))
  .then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(
        `tactful: unexpected failure\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exitCode = 3;
    },
  );
