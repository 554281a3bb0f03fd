import { version } from '../package.json';

/** The version of `@tactful/cli`. */
export const CLI_VERSION: string = version;
