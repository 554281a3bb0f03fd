import { TactfulError } from '@tactful/core';
import { z } from 'zod';

const REFERENCE = /\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g;
const ONLY_REFERENCE = /^\$\{env:[A-Za-z_][A-Za-z0-9_]*\}$/;

/**
 * A connection URL as a configuration file may hold it: `${env:NAME}` references are replaced from
 * the environment when Tactful starts. A password written into the file itself is refused (the
 * file is committed and copied around; secrets belong in the environment).
 */
export function connectionUrlSchema(example: string) {
  return z
    .string()
    .min(1)
    .max(2048)
    .superRefine((value, ctx) => {
      const literal = literalPassword(value);
      if (literal) {
        ctx.addIssue({
          code: 'custom',
          message: `holds a literal ${literal}: keep secrets out of the file; write "\${env:DATABASE_URL}" (the whole URL from the environment) or put only the password in one, e.g. "${example}"`,
        });
      }
      if (!ONLY_REFERENCE.test(value) && !/^[a-z][a-z0-9+.-]*:\/\//i.test(value.replace(REFERENCE, 'x'))) {
        ctx.addIssue({
          code: 'custom',
          message: `use a URL such as "${example}", or "\${env:NAME}" to read it from the environment`,
        });
      }
    });
}

/** What in a URL is a secret written out in full: `password`, or undefined when there is none. */
function literalPassword(value: string): string | undefined {
  const userinfo = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)@/i.exec(value)?.[1];
  if (userinfo !== undefined) {
    const colon = userinfo.indexOf(':');
    if (colon >= 0) {
      const password = userinfo.slice(colon + 1);
      if (password.length > 0 && !ONLY_REFERENCE.test(password)) return 'password';
    }
  }
  const query = value.split('?')[1];
  if (query !== undefined) {
    for (const pair of query.split('&')) {
      const [key, v = ''] = pair.split('=');
      if (/^(password|pass|pwd|sslpassword)$/i.test(key ?? '') && v.length > 0 && !ONLY_REFERENCE.test(v))
        return `"${key}" parameter`;
    }
  }
  return undefined;
}

/**
 * Replaces every `${env:NAME}` in `value` from `env`. Throws `INVALID_CONFIG` naming the field and
 * the variable when one is not set.
 */
export function resolveEnvReferences(
  value: string,
  path: ReadonlyArray<string | number>,
  env: Record<string, string | undefined> = process.env,
): string {
  return value.replace(REFERENCE, (_, name: string) => {
    const found = env[name];
    if (found === undefined || found === '') {
      throw new TactfulError(
        'INVALID_CONFIG',
        `${path.join('.')}: the environment variable ${name} is not set; set it on every server (it holds a secret, so it is not written in the file)`,
        { path: [...path] },
      );
    }
    return found;
  });
}
