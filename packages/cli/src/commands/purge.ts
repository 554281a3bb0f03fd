import { createTactful } from '@tactful/config';
import { loadValidConfig } from '../config-file.js';
import { EXIT_CODES } from '../exit-codes.js';
import { type CliIo, printJson, progress } from '../io.js';

/** Options of `tactful purge`. */
export interface PurgeCommandOptions {
  config?: string;
  json?: boolean;
  quiet?: boolean;
}

/**
 * `tactful purge`: deletes now, batch after batch, the subject data past its retention and the
 * audit entries past `audit.retentionDays` — what every server's scheduled purge does each
 * interval (`retention.purge`), for a job or a manual run. Safe next to running servers: deletes
 * are idempotent, so a purge of theirs running at the same time counts each item once.
 */
export async function purgeCommand(io: CliIo, options: PurgeCommandOptions): Promise<number> {
  const say = progress(io, options.quiet || options.json);
  const { file, config } = await loadValidConfig(io, options.config);
  // The purge settings of the configuration (or their defaults when the schedule is off).
  const purge =
    config.retention.purge === false
      ? { intervalMinutes: 60, batchSize: 1000, maxBatchesPerInterval: 1000, callTimeoutMs: 10_000 }
      : config.retention.purge;
  const tactful = await createTactful(
    { ...config, retention: { ...config.retention, purge } },
    {
      baseDir: file.baseDir,
      ...(io.env.TACTFUL_SECRET === undefined ? {} : { secret: io.env.TACTFUL_SECRET }),
    },
  );
  try {
    const { removed, purgedOther } = await tactful.retention!.purgeNow();
    if (options.json) printJson(io, { subjects: removed, audit: purgedOther });
    else
      say(
        `purged ${removed} item(s) of subject data and ${purgedOther} audit entr${purgedOther === 1 ? 'y' : 'ies'} past retention`,
      );
    return EXIT_CODES.ok;
  } finally {
    await tactful.close();
  }
}
