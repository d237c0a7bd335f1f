// Prisma's schema engine (migrate deploy, migrate diff) compiled to WebAssembly, driven in-process
// through a driver adapter. The CLI's native engine is a download that fails offline; this one
// ships inside the @prisma/schema-engine-wasm npm package and writes the same `_prisma_migrations`
// table, so `prisma migrate deploy` stays compatible wherever the native engine exists.
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export type { SchemaEngine };
export type SchemaFile = { path: string; content: string };

type EngineModule = typeof import('@prisma/schema-engine-wasm');

let engineModule: Promise<EngineModule> | undefined;

/**
 * Instantiates the wasm module once per process. The wasm-bindgen glue keeps the instance in a
 * module-level variable: instantiating again would swap the memory under an engine that is still
 * running (two applyMigrations calls in one process), so every caller shares this one.
 */
export function loadSchemaEngine(): Promise<EngineModule> {
  engineModule ??= instantiate().catch((error: unknown) => {
    engineModule = undefined;
    throw error;
  });
  return engineModule;
}

async function instantiate(): Promise<EngineModule> {
  const g = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: unknown };
  // The glue reports Rust panics through this global, which the Prisma CLI normally defines.
  g.PRISMA_WASM_PANIC_REGISTRY ??= {
    message: '',
    set_message(this: { message: string }, message: string) {
      this.message = `RuntimeError: ${message}`;
    },
  };

  // Node 20 cannot `import` a .wasm file, which is what the package's own entry does, so load the
  // exported glue module and instantiate the .wasm beside it by hand (as the Prisma CLI does).
  const require = createRequire(import.meta.url);
  const gluePath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
  const glue = (await import(pathToFileURL(gluePath).href)) as EngineModule & Record<string, unknown>;
  const bytes = await readFile(path.join(path.dirname(gluePath), 'schema_engine_bg.wasm'));
  const wasmModule = await WebAssembly.compile(new Uint8Array(bytes));

  // The engine arms timeouts (e.g. 10 s around its own advisory lock) and never clears them, so a
  // finished CLI would sit idle until they fire. Unref'd timers still fire while anything else
  // (a database socket) keeps the process alive, which is the only time the engine awaits them.
  const imports: Record<string, unknown> = { ...glue };
  for (const name of Object.keys(glue).filter((n) => n.startsWith('__wbg_setTimeout_'))) {
    imports[name] = (callback: () => void, ms: number) => setTimeout(callback, ms >>> 0).unref();
  }
  const instance = await WebAssembly.instantiate(wasmModule, { './schema_engine_bg.js': imports } as WebAssembly.Imports);

  const setWasm = glue['__wbg_set_wasm'] as (exports: WebAssembly.Exports) => void;
  setWasm(instance.exports);
  (instance.exports['__wbindgen_start'] as (() => void) | undefined)?.();
  return glue;
}

/** Runs `fn` with a fresh engine over `adapterFactory`, and frees the engine afterwards. */
export async function withSchemaEngine<T>(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  schemaFiles: SchemaFile[],
  fn: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const { SchemaEngine } = await loadSchemaEngine();
  const engine = await SchemaEngine.new(
    { datamodels: schemaFiles.map((f) => [f.path, f.content]) },
    (message: string) => {
      if (process.env.DEBUG_SCHEMA_ENGINE) console.error('[schema-engine]', message);
    },
    bindMigrationAwareSqlAdapterFactory(adapterFactory),
  );
  try {
    return await fn(engine);
  } finally {
    engine.free();
  }
}
