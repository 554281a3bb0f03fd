import { version } from '../package.json';

/** The version of this `@tactful/core`; plugins declare the range of it they support. */
export const CORE_VERSION: string = version;
