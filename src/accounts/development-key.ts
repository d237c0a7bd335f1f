// The key `npm start` prints on embedded defaults, so GraphiQL works from the first minute. It is
// kept in .data/ (next to the embedded database it is valid for) and reused while it still works,
// so a key pasted into GraphiQL survives restarts; only its hash is in the database, as for any key.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AccountStore } from './account-store.js';

export const DEVELOPMENT_ACCOUNT = 'development';

export async function developmentKey(accounts: AccountStore, file: string): Promise<{ key: string; created: boolean }> {
  const saved = existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
  if (saved && (await accounts.authenticate(saved))) return { key: saved, created: false };
  const { key } = await accounts.issueKey(DEVELOPMENT_ACCOUNT);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${key}\n`, { mode: 0o600 });
  return { key, created: true };
}
