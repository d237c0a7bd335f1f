// `npm run web:dev`: Vite's dev server for the desk says where it listens (a build before every
// `npm start` stays quiet), and proxies /graphql to the API on PORT.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { stripVTControlCharacters } from 'node:util';
import { expect, it, onTestFinished } from 'vitest';
import { systemForThisTest } from '../support/orders.js';
import { freePort } from '../support/processes.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

it('prints the URL it serves the desk at, and answers GraphQL there through its proxy', async () => {
  const system = await systemForThisTest({ worker: false });
  const port = await freePort();
  const vite = spawn(process.execPath, ['node_modules/vite/bin/vite.js', '--config', 'web/vite.config.ts', '--port', String(port), '--strictPort'], {
    cwd: ROOT,
    env: { ...process.env, PORT: new URL(system.url).port },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  onTestFinished(() => void vite.kill());
  let output = '';
  vite.stdout.on('data', (chunk) => (output += chunk));
  vite.stderr.on('data', (chunk) => (output += chunk));
  // coloured where Vite's colours think they may be (CI=true, FORCE_COLOR), as the CI run's were
  await expect.poll(() => stripVTControlCharacters(output), { timeout: 30_000 }).toMatch(new RegExp(`Local:\\s+http://localhost:${port}/`));

  const answer = await fetch(`http://localhost:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${system.key}` },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
  expect(await answer.json()).toEqual({ data: { __typename: 'Query' } });
});
