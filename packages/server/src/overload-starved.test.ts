import { describe, expect, it } from 'vitest';
import { concurrencyLimiter } from './limits.js';
import { type AdmissionOptions, admission } from './overload.js';

const OPTIONS: AdmissionOptions = {
  queueTimeoutMs: 1000,
  maxQueued: 64,
  maxLagMs: 75,
  latencyTargetMs: 0,
  minConcurrent: 1,
};

/** An admission on a clock of the test's own (no timer runs; the test feeds the samples). */
function fed() {
  let t = 0;
  const a = admission(concurrencyLimiter(8), OPTIONS, { now: () => t });
  /** One 10 ms sample: how late it ran and the loop's busy share (what the shed decision reads). */
  const sample = (lateMs: number, utilization: number) => {
    t += 10 + lateMs;
    a.tick(lateMs, utilization);
  };
  /**
   * How many of a burst of `n` requests seen in one loop turn the front door sheds for lag (those
   * let through are on their way to a slot, as they are until their bodies are read).
   */
  const lagShed = (n: number) => {
    let shed = 0;
    for (let i = 0; i < n; i++) if (a.early() === 'lagging') shed++;
    return shed;
  };
  /** How many of `n` requests one after another (each answered before the next) are shed for lag. */
  const loneShed = (n: number) => {
    let shed = 0;
    for (let i = 0; i < n; i++) {
      if (a.early() === 'lagging' || a.acquire(true) !== undefined) shed++;
      else a.release();
    }
    return shed;
  };
  return { a, sample, lagShed, loneShed };
}

describe('lag shedding on a machine whose cores other processes take', () => {
  it('an idle server starved by a neighbour (timers late, loop idle, little CPU) sheds nothing', () => {
    const { a, sample, lagShed } = fed();
    // Measured with busy neighbours pinned to the server's core: timers 20-200 ms late while the
    // loop's utilization stays 0.01-0.2.
    // (The process had about 0.01 of a core.)
    for (let i = 0; i < 50; i++) sample(200, 0.1);
    expect(a.stats.lagMs).toBeGreaterThan(OPTIONS.maxLagMs);
    expect(lagShed(200)).toBe(0);
  });

  it('a starved server behind on its own work (loop busy, little CPU given) still sheds: a CPU gate would leave it answering late', () => {
    const { sample, lagShed } = fed();
    // Measured: utilization 0.8-0.9 with the process given 0.07-0.2 of a core, and its backlog
    // of work growing by seconds: it is behind, whatever the cause.
    // (The process had about 0.15 of a core.)
    for (let i = 0; i < 50; i++) sample(200, 0.95);
    expect(lagShed(200)).toBeGreaterThan(150);
  });

  it('a request alone in the server is never shed for lateness, however busy and late the process runs', () => {
    const { a, sample, lagShed, loneShed } = fed();
    // The loop busy and late with work that is not this server's requests (the process's own
    // start-up, other code in it, a neighbour taking the CPU while it runs): nothing in flight.
    for (let i = 0; i < 50; i++) sample(200, 0.95);
    expect(a.stats.lagMs).toBeGreaterThan(OPTIONS.maxLagMs * 2);
    // One request at a time, each answered before the next comes: none is shed.
    expect(loneShed(200)).toBe(0);
    expect(a.stats.shed.lagging).toBe(0);
    // The same loop with requests in the server: all but the first are shed (share 1 at 2 x maxLagMs).
    expect(lagShed(200)).toBe(199);
    expect(a.stats.shed.lagging).toBe(199);
  });
});
