#!/usr/bin/env node
import { loadConfig } from '@tactful/config';
import { isTactfulError } from '@tactful/core';
import { createServer } from './app.js';

const USAGE = `Usage: tactful-server [config file] [--port N] [--host H]

Starts the Tactful decision server from a configuration file (default: tactful.config.json).
Stops gracefully on SIGTERM and SIGINT: in-flight requests finish first.`;

async function main(argv: string[]): Promise<void> {
  let file = 'tactful.config.json';
  let port: number | undefined;
  let host: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      return;
    }
    if (arg === '--port') port = Number(argv[++i]);
    else if (arg === '--host') host = argv[++i];
    else file = arg;
  }
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65_535)) {
    throw new Error('--port: give a port number from 0 to 65535');
  }
  const { config, baseDir } = await loadConfig(file);
  const server = await createServer(config, { baseDir });
  const running = await server.listen({
    ...(port === undefined ? {} : { port }),
    ...(host === undefined ? {} : { host }),
    signals: true,
  });
  console.log(`Tactful decision server on ${running.url} (OpenAPI: ${running.url}/openapi.json)`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (isTactfulError(error) && error.code === 'INVALID_CONFIG') {
    console.error(error.message);
  } else {
    console.error(error instanceof Error ? error.message : String(error));
  }
  process.exitCode = 1;
});
