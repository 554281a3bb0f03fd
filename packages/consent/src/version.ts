import { version } from '../package.json';

/** The version of `@tactful/consent`, stated in its providers' manifests. */
export const CONSENT_VERSION: string = version;

/** The `@tactful/core` range the providers of this package support. */
export const SUPPORTED_CORE = '^0.1.0';
