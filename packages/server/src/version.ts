/** The version of `@tactful/server`. */
export const SERVER_VERSION = '0.1.0';
