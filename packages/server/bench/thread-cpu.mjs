import { readFileSync } from 'node:fs';

/**
 * The calling thread's own CPU time in µs where Linux tells it (/proc/self/task/<pid>/stat, clock
 * ticks of 10 ms: the main thread when called there), so neither other threads (GC, JIT, database
 * threads) nor other processes count; undefined elsewhere.
 */
export function mainThreadCpu() {
  try {
    const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return undefined;
  }
}
