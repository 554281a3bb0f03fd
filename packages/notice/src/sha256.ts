import { sha256HexSync } from '@tactful/core';

/**
 * SHA-256 of a string (UTF-8) or bytes, as 64 lowercase hex digits, computed synchronously (so
 * notice generation stays synchronous in any runtime); `sha256HexSync` of `@tactful/core`.
 *
 * @example
 * ```ts
 * sha256Hex('abc'); // 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
 * ```
 */
export const sha256Hex: (input: string | Uint8Array) => string = sha256HexSync;
