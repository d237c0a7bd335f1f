// npm "postinstall": generates the Prisma client into src/generated/prisma (gitignored) on every
// `npm install` / `npm ci`, offline.
//
// The Prisma CLI wants a native schema engine for every command, and downloads one when it is
// missing; that download fails without internet. `prisma generate` never runs the engine, it only
// checks that PRISMA_SCHEMA_ENGINE_BINARY names an existing file, so we point it at a stub.
// A user who has a real engine (and set PRISMA_SCHEMA_ENGINE_BINARY) keeps it.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const stub = path.join(root, 'prisma', 'schema-engine-stub');
const require = createRequire(import.meta.url);

// A checkout without file modes (zip download, some Windows tools) loses the executable bit.
if (existsSync(stub)) chmodSync(stub, 0o755);

const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY || stub,
  // the CLI's update check is a network call: skip it, offline it only adds latency
  CHECKPOINT_DISABLE: '1',
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
};
let cli;
try {
  cli = path.join(path.dirname(require.resolve('prisma/package.json')), 'build', 'index.js');
} catch {
  // `npm install --package-lock-only` runs this script too, with nothing installed
  console.warn('prisma-generate: the prisma CLI is not installed, so the client was not generated (run npm install).');
  process.exit(0);
}
const result = spawnSync(process.execPath, [cli, 'generate'], { cwd: root, env, stdio: 'inherit' });

if (result.error) throw result.error;
if (result.status !== 0) {
  console.error(`prisma generate failed (exit ${result.status ?? result.signal}); the app cannot run without the generated client.`);
  process.exit(result.status ?? 1);
}
