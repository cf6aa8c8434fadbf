import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// Source runs from <repo>/src/core/metrics, the build from <repo>/dist/src/core/metrics; the image copies
// package.json beside both.
const candidates = ['../../../package.json', '../../../../package.json'];

function packageVersion(): string {
  for (const candidate of candidates) {
    try {
      const manifest = JSON.parse(readFileSync(fileURLToPath(new URL(candidate, import.meta.url)), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (manifest.name === 'folio' && manifest.version) return manifest.version;
    } catch {
      // Not there: try the next place.
    }
  }
  return 'unknown';
}

/** Labels of `folio_build_info`: read once, they never change while the process runs. */
export function buildInfo(): { version: string; node_version: string } {
  return { version: packageVersion(), node_version: process.version };
}
