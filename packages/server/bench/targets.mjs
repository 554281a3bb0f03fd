// The servers of the route benches (http.bench.mjs, audit-route.bench.mjs): each role of
// target.mjs in a process of its own on 127.0.0.1, loaded by autocannon from the bench's process.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import autocannon from 'autocannon';
import { BODY, chosen } from './storefront.mjs';

/**
 * Starts one server process (a role of target.mjs) and waits until it answers. Its `cpu()` gives
 * `{ micros, mainMicros }`: the process's CPU time (all threads) and its main thread's own (Linux).
 */
export function startTarget(role) {
  const child = fork(fileURLToPath(new URL('./target.mjs', import.meta.url)), [role], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    // BENCH_PROFILE=<role> writes a V8 CPU profile of that server into BENCH_PROFILE_DIR (or .).
    execArgv:
      process.env.BENCH_PROFILE === role
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR ?? '.'}`]
        : [],
  });
  const ask = (type, answer) =>
    new Promise((resolve, reject) => {
      const onMessage = (m) => {
        if (m.type === answer) {
          child.off('message', onMessage);
          resolve(m);
        } else if (m.type === 'failed') reject(new Error(`${role} server: ${m.message}`));
      };
      child.on('message', onMessage);
      child.send({ type });
    });
  return ask('start', 'ready').then((ready) => ({
    role,
    url: ready.url,
    headers: ready.headers,
    decision: ready.decision,
    cpu: () => ask('cpu', 'cpu'),
    flush: () => ask('flush', 'flushed'),
    close: () => new Promise((resolve) => child.once('exit', resolve) && child.send({ type: 'close' })),
  }));
}

/** Exits the bench unless `target` now chooses exactly the `reference` content for every slot. */
export async function checkSameContent(target, reference) {
  const response = await fetch(`${target.url}/v1/decide`, {
    method: 'POST',
    headers: target.headers,
    body: BODY,
  });
  const got = chosen(await response.json());
  if (response.status !== 200 || !isDeepStrictEqual(got, reference)) {
    console.error(
      `${target.role} chose other content:`,
      JSON.stringify(got),
      'expected',
      JSON.stringify(reference),
    );
    process.exit(1);
  }
}

/** Loads a target's decide route with autocannon for `duration` seconds. */
export function loadTarget(target, { connections, duration }) {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: `${target.url}/v1/decide`,
        method: 'POST',
        headers: target.headers,
        body: BODY,
        connections,
        duration,
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}
