/** The playground's worker bundle as text (scripts/bundle-play.mjs). */
export function bundlePlayWorker(): Promise<string>;
