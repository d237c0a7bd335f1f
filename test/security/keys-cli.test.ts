// `npm run keys:create` and `npm run keys:revoke`, as an operator types them.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { AccountStore } from '../../src/accounts/account-store.js';
import { developmentKey } from '../../src/accounts/development-key.js';
import { createDatabase } from '../../src/infra/prisma.js';
import { ownDatabase } from '../support/own-database.js';
import { freePort, roleEnv, startRole } from '../support/processes.js';
import { rowsOn } from '../support/sql.js';
import { testConfig } from '../support/system.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

async function npmRun(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run('npm', ['run', ...args], { cwd: ROOT, env: process.env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const lastLine = (text: string) => text.trim().split('\n').at(-1)!;

describe('the keys CLI', () => {
  const database = createDatabase(process.env.DATABASE_URL!, { max: 2 });
  const { prisma } = database;
  const accounts = new AccountStore(database);
  afterAll(() => prisma.$disconnect());

  it('creates a key that authenticates, printed as the last line, and stores only its hash', async () => {
    const account = `cli-${randomUUID()}`;
    const created = await npmRun('keys:create', '--', '--account', account);
    expect(created.code, created.stderr).toBe(0);
    const key = lastLine(created.stdout);
    expect(key).toMatch(/^dex_[1-9A-HJ-NP-Za-km-z]{40,50}$/);

    expect(await accounts.authenticate(key)).toMatchObject({ accountName: account });
    const stored = await prisma.apiKey.findMany({ where: { account: { name: account } } });
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(key.slice(4));
    expect(stored[0]!.prefix).toBe(key.slice(0, 12));
  });

  it('revokes a key, which then authenticates nothing; revoking it again says so', async () => {
    const { key } = await accounts.issueKey(`cli-${randomUUID()}`);
    const revoked = await npmRun('keys:revoke', '--', key);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(await accounts.authenticate(key)).toBeNull();

    const again = await npmRun('keys:revoke', '--', key);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/No such key, or it was already revoked/);
  });

  it('prints its usage and changes nothing when called wrongly', async () => {
    for (const args of [[], ['--account'], ['--acount', 'typo']]) {
      const result = await npmRun('keys:create', ...(args.length ? ['--', ...args] : []));
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/usage: npm run keys:create -- --account NAME/);
      // the usage alone, not a stack of parseArgs' error
      expect(result.stderr).not.toMatch(/ERR_PARSE_ARGS|\n\s+at /);
    }
  });
});

describe('the development key of `npm start`', () => {
  const database = createDatabase(process.env.DATABASE_URL!, { max: 2 });
  const { prisma } = database;
  const accounts = new AccountStore(database);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dev-key-'));
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await prisma.$disconnect();
  });

  it('is created once, kept in its file, reused on the next start, and replaced once revoked', async () => {
    const file = path.join(dir, 'development-api-key');
    const first = await developmentKey(accounts, file);
    expect(first.created).toBe(true);
    expect(readFileSync(file, 'utf8').trim()).toBe(first.key);
    expect(await accounts.authenticate(first.key)).toMatchObject({ accountName: 'development' });

    expect(await developmentKey(accounts, file)).toEqual({ key: first.key, created: false });

    await accounts.revokeKey(first.key);
    const replaced = await developmentKey(accounts, file);
    expect(replaced.created).toBe(true);
    expect(replaced.key).not.toBe(first.key);
  });

  it('is never created by `npm start` with DATABASE_URL and REDIS_URL set: none printed, no account "development" in that database', async () => {
    // a database of the test's own: any account or key the process made would be there, and only it
    const databaseUrl = await ownDatabase();
    const port = await freePort();
    const app = await startRole('api+worker', {
      ...roleEnv(testConfig()),
      DATABASE_URL: databaseUrl,
      REDIS_URL: process.env.REDIS_URL!,
      PORT: String(port),
    });
    // src/main.ts would make the key after its ready line and before it handles SIGTERM. Without a
    // key to make, it handles SIGTERM from the same turn of its event loop as that line, so once it
    // has answered a request it does; a SIGTERM sent before could still meet no handler (seen in
    // CI under load). A clean exit on SIGTERM, "shutting down" first, means start-up went past it.
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    expect(await app.stop(), 'killed by SIGTERM: it was still starting, after its ready line').toEqual({ code: 0, signal: null });
    await vi.waitFor(() => expect(app.output()).toContain('shutting down'));

    expect(app.output()).not.toMatch(/Development API key|dex_[1-9A-HJ-NP-Za-km-z]{40,}/);
    expect(await rowsOn(databaseUrl, `SELECT name FROM accounts WHERE name = 'development'`)).toEqual([]);
    expect(await rowsOn(databaseUrl, 'SELECT prefix FROM api_keys')).toEqual([]);
  });
});
