// Applies and authors Prisma migrations (prisma/migrations) without the Prisma CLI's native schema
// engine, which is a download that fails offline. The database ends up exactly as after
// `prisma migrate deploy`: same SQL, same `_prisma_migrations` bookkeeping.
import { PrismaPg } from '@prisma/adapter-pg';
import { DriverAdapterError, type SqlDriverAdapter, type SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { MigrationList, SchemaFilter } from '@prisma/schema-engine-wasm';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { withSchemaEngine, type SchemaEngine, type SchemaFile } from './schema-engine.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface MigrationPaths {
  /** Default: prisma/schema.prisma of this repository. */
  schemaPath?: string;
  /** Default: prisma/migrations of this repository. */
  migrationsDir?: string;
}

/**
 * Each migration directory written by createMigration also keeps the schema.prisma it was made
 * from, so the next migration is the diff of two schemas and needs no shadow database.
 */
export const SCHEMA_SNAPSHOT_FILE = 'schema.prisma.snapshot';

/** Session-level advisory lock held while migrating: one migrator at a time per database. */
export const MIGRATION_LOCK_KEY = 7_241_309_118;
/** A migrator that waits longer than this for another one to finish fails instead of hanging. */
const LOCK_TIMEOUT = '120s';
const NO_FILTERS: SchemaFilter = { externalTables: [], externalEnums: [] };
const LOCKFILE = 'migration_lock.toml';

/**
 * Applies the migrations of prisma/migrations that `databaseUrl` has not applied yet, and returns
 * their names (empty when the database was up to date).
 *
 * Safe to call from several processes starting at once: they queue on an advisory lock, and the
 * engine, inside it, re-reads `_prisma_migrations`, so each migration runs once. When nothing is
 * pending it answers from `_prisma_migrations` alone, without loading the engine.
 */
export async function applyMigrations(databaseUrl: string, paths: MigrationPaths = {}): Promise<string[]> {
  const { schemaPath, migrationsDir } = resolvePaths(paths);
  const migrations = readMigrationList(migrationsDir);
  const names = migrations.migrationDirectories.map((d) => d.path);

  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    if (await allApplied(client, names)) return [];
    await client.query(`SET lock_timeout = '${LOCK_TIMEOUT}'`);
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      return await withDatabaseEngine(databaseUrl, [readSchemaFile(schemaPath)], async (engine) => {
        const out = await engine.applyMigrations({ migrationsList: migrations, filters: NO_FILTERS });
        return out.appliedMigrationNames;
      });
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await client.end();
  }
}

/** True when every migration named is recorded as finished (and none failed) in `_prisma_migrations`. */
async function allApplied(client: pg.Client, names: string[]): Promise<boolean> {
  try {
    const { rows } = await client.query<{ migration_name: string; finished: boolean }>(
      'SELECT migration_name, finished_at IS NOT NULL AS finished FROM _prisma_migrations WHERE rolled_back_at IS NULL',
    );
    // a failed migration goes to the engine, which reports it the way `migrate deploy` does
    if (rows.some((r) => !r.finished)) return false;
    const applied = new Set(rows.map((r) => r.migration_name));
    return names.every((name) => applied.has(name));
  } catch (error) {
    if ((error as { code?: string }).code === '42P01') return false; // undefined_table: never migrated
    throw error;
  }
}

export interface CreatedMigration {
  /** Directory name, `<yyyymmddhhmmss>_<name>`, under the migrations directory. */
  name: string;
  sql: string;
}

/**
 * Like `prisma migrate dev --create-only --name <name>`: writes the SQL that takes the database
 * from the last migration's schema to schema.prisma, or returns null when they already agree.
 *
 * The starting point is the schema snapshot kept by the newest migration (empty when there is no
 * migration), so no shadow database is needed; the engine only connects to `databaseUrl` to learn
 * the server version and changes nothing in it. A newest migration without a snapshot (written by
 * the Prisma CLI) is rejected rather than guessed at.
 */
export async function createMigration(
  databaseUrl: string,
  name: string,
  paths: MigrationPaths & { now?: Date } = {},
): Promise<CreatedMigration | null> {
  const { schemaPath, migrationsDir } = resolvePaths(paths);
  const schema = readSchemaFile(schemaPath);
  const previous = readPreviousSnapshot(migrationsDir);

  const sql = await withDatabaseEngine(databaseUrl, [schema], async (engine) => {
    const result = await engine.diff({
      from: previous === null ? { tag: 'empty' } : { tag: 'schemaDatamodel', files: [{ path: 'previous.prisma', content: previous }] },
      to: { tag: 'schemaDatamodel', files: [schema] },
      script: true,
      exitCode: true,
      filters: NO_FILTERS,
    });
    return result.exitCode === 2 ? (result.stdout ?? '') : ''; // 0 = no difference
  });
  if (!sql.trim()) return null;

  const dirName = `${timestamp(paths.now ?? new Date())}_${name.replace(/[^A-Za-z0-9_]/g, '_')}`;
  const dir = path.join(migrationsDir, dirName);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'migration.sql'), sql);
  await writeFile(path.join(dir, SCHEMA_SNAPSHOT_FILE), schema.content);
  const lockfile = path.join(migrationsDir, LOCKFILE);
  if (!existsSync(lockfile)) {
    await writeFile(
      lockfile,
      '# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "postgresql"\n',
    );
  }
  return { name: dirName, sql };
}

/**
 * PrismaPg runs a migration script by splitting it at every semicolon, quoted or not, which breaks
 * any function body or string that holds one (20261201210000_api_key_change_notices has both).
 * Here the whole script goes to PostgreSQL as one simple query, which it splits correctly and runs
 * as one implicit transaction: a migration that fails leaves nothing half applied.
 */
function withWholeScripts(adapter: Awaited<ReturnType<PrismaPg['connect']>>): SqlDriverAdapter {
  const driver = adapter.underlyingDriver();
  adapter.executeScript = async (script) => {
    try {
      await driver.query(script);
    } catch (error) {
      const e = error as pg.DatabaseError;
      if (typeof e.code !== 'string') throw error;
      throw new DriverAdapterError({ kind: 'postgres', code: e.code, severity: e.severity ?? 'ERROR', message: e.message, detail: e.detail, column: e.column, hint: e.hint });
    }
  };
  return adapter;
}

/**
 * Runs the engine over a PrismaPg adapter to `databaseUrl`, and closes every pool it opened: the
 * engine does not dispose its adapters when freed, and an idle pg pool would keep the process alive.
 */
async function withDatabaseEngine<T>(
  databaseUrl: string,
  schemaFiles: SchemaFile[],
  fn: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const pgFactory = new PrismaPg({ connectionString: databaseUrl });
  const opened: SqlDriverAdapter[] = [];
  const factory: SqlMigrationAwareDriverAdapterFactory = {
    provider: pgFactory.provider,
    adapterName: pgFactory.adapterName,
    async connect() {
      const adapter = await pgFactory.connect();
      opened.push(adapter);
      return withWholeScripts(adapter);
    },
    connectToShadowDb() {
      throw new Error('applying and authoring migrations here never needs a shadow database');
    },
  };
  try {
    return await withSchemaEngine(factory, schemaFiles, fn);
  } finally {
    await Promise.all(opened.map((adapter) => adapter.dispose().catch(() => undefined)));
  }
}

function resolvePaths(paths: MigrationPaths) {
  return {
    schemaPath: path.resolve(paths.schemaPath ?? path.join(ROOT, 'prisma', 'schema.prisma')),
    migrationsDir: path.resolve(paths.migrationsDir ?? path.join(ROOT, 'prisma', 'migrations')),
  };
}

function readSchemaFile(schemaPath: string): SchemaFile {
  return { path: path.basename(schemaPath), content: readFileSync(schemaPath, 'utf8') };
}

function migrationDirNames(migrationsDir: string): string[] {
  if (!existsSync(migrationsDir)) return [];
  return readdirSync(migrationsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(migrationsDir, entry.name, 'migration.sql')))
    .map((entry) => entry.name)
    .sort();
}

/** The migrations folder in the shape the engine expects (what the Prisma CLI reads from disk). */
function readMigrationList(migrationsDir: string): MigrationList {
  const lockfile = path.join(migrationsDir, LOCKFILE);
  return {
    baseDir: migrationsDir,
    lockfile: { path: LOCKFILE, content: existsSync(lockfile) ? readFileSync(lockfile, 'utf8') : null },
    shadowDbInitScript: '',
    migrationDirectories: migrationDirNames(migrationsDir).map((dir) => ({
      path: dir,
      migrationFile: {
        path: 'migration.sql',
        content: { tag: 'ok', value: readFileSync(path.join(migrationsDir, dir, 'migration.sql'), 'utf8') },
      },
    })),
  };
}

function readPreviousSnapshot(migrationsDir: string): string | null {
  const newest = migrationDirNames(migrationsDir).at(-1);
  if (newest === undefined) return null;
  const snapshot = path.join(migrationsDir, newest, SCHEMA_SNAPSHOT_FILE);
  if (!existsSync(snapshot)) {
    throw new Error(
      `${path.join(migrationsDir, newest)} has no ${SCHEMA_SNAPSHOT_FILE}, so the schema it leads to is unknown ` +
        `without a shadow database. Copy the schema.prisma that migration was made from to ${snapshot}, then retry.`,
    );
  }
  return readFileSync(snapshot, 'utf8');
}

function timestamp(date: Date): string {
  return date.toISOString().replace(/\D/g, '').slice(0, 14);
}
