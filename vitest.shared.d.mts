/** Aliases from the workspace packages' public names to their sources (see vitest.shared.mjs). */
export declare const workspaceAliases: Array<{ find: RegExp; replacement: string }>;
