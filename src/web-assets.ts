// The order desk's built files (web/ → dist/web, by Vite) and the check that rebuilds them only
// when a source is newer than the build, so `npm start` and `npm test` stay fast when nothing
// changed and never serve a stale page when something did.
import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Where the API serves `/` from. */
export const WEB_DIST = path.join(ROOT, 'dist', 'web');
const WEB_SOURCES = [path.join(ROOT, 'web'), path.join(ROOT, 'gql')];
const VITE_CONFIG = path.join(ROOT, 'web', 'vite.config.ts');

async function newestMtime(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, (await stat(path.join(entry.parentPath, entry.name))).mtimeMs);
  }
  return newest;
}

/** True when dist/web is missing or older than a file under web/ or gql/. */
export async function webBuildIsStale(): Promise<boolean> {
  const index = path.join(WEB_DIST, 'index.html');
  if (!existsSync(index)) return true;
  const built = (await stat(index)).mtimeMs;
  const sources = await Promise.all(WEB_SOURCES.filter(existsSync).map(newestMtime));
  return Math.max(...sources) > built;
}

/** Builds the desk with Vite (loaded only now: serving the built page needs no Vite). */
export async function buildWeb(): Promise<void> {
  const { build } = await import('vite');
  await build({ configFile: VITE_CONFIG, logLevel: 'warn' });
}
