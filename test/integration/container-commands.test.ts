// The commands docker-compose.yml and the Dockerfile start the roles with: each starts its role,
// and a SIGTERM sent to it (as `docker stop` sends to a container's first process) reaches the
// app, which shuts down as it should. Under `npm run`, npm passed it to a shell that did not pass
// it on: the app went on running, orphaned, until the container was killed.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { spawnRole, type Role } from '../support/spawned.js';

const compose = readFileSync(new URL('../../docker-compose.yml', import.meta.url), 'utf8');
const dockerfile = readFileSync(new URL('../../Dockerfile', import.meta.url), 'utf8');
const SIGTERM_AT_READY = fileURLToPath(new URL('../support/sigterm-at-ready.mjs', import.meta.url));

/** The exec-form `command:` of a service in docker-compose.yml. */
function composeCommand(service: string): string[] {
  const block = compose.split(new RegExp(`^  ${service}:\\n`, 'm'))[1]!.split(/^  \S/m)[0]!;
  return JSON.parse(/^\s+command: (\[.*\])$/m.exec(block)![1]!) as string[];
}

describe("the containers' commands", () => {
  it('start the API in the image by default as compose does', () => {
    expect(JSON.parse(/^CMD (\[.*\])$/m.exec(dockerfile)![1]!)).toEqual(composeCommand('api'));
  });

  it.each([
    ['api', 'api'],
    ['worker', 'worker'],
  ] as [string, Role][])("start the %s service's role, which shuts down on SIGTERM and exits 0", async (service, role) => {
    const [program, ...args] = composeCommand(service);
    expect(program).toBe('node');
    await expectGracefulStopOnSigtermAtReady(role, args);
  });

  it("and npm start's process (API and worker in one), likewise", async () => {
    await expectGracefulStopOnSigtermAtReady('api+worker', ['--import', 'tsx', 'src/main.ts']);
  });
});

/**
 * Starts `role` with node and `args`, sends it SIGTERM the instant it writes its ready line
 * (test/support/sigterm-at-ready.mjs), as a supervisor may once it sees that line, and expects a
 * graceful shutdown: the app must listen for the signal by then.
 */
async function expectGracefulStopOnSigtermAtReady(role: Role, args: string[]): Promise<void> {
  const spawned = await spawnRole(role, { PORT: '0' }, 60_000, [process.execPath, '--import', SIGTERM_AT_READY, ...args]);
  const { code } = await spawned.exited;
  if (!spawned.child.stdout!.closed) await once(spawned.child.stdout!, 'close');
  expect(spawned.output()).toMatch(/"msg":"shutting down"/);
  expect(code).toBe(0);
}
