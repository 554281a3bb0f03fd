#!/usr/bin/env node
import { runCli } from './cli.js';

runCli(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`tactful: unexpected failure\n${String(error)}\n`);
    process.exitCode = 3;
  },
);
