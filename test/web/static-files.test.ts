import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createSchema, createYoga } from 'graphql-yoga';
import { beforeAll, describe, expect, it } from 'vitest';
import { useStaticFiles } from '../../src/static-files.js';
import { WEB_DIST } from '../../src/web-assets.js';

/** A Yoga app serving `root` at `/`, asked through yoga.fetch without a port. */
function appServing(root: string) {
  const schema = createSchema({ typeDefs: 'type Query { ok: Boolean! }', resolvers: { Query: { ok: () => true } } });
  const yoga = createYoga({ schema, plugins: [useStaticFiles({ root, missingIndex: 'not built\n' })], logging: false });
  return (path: string, init: RequestInit = {}) => yoga.fetch(new URL(path, 'http://localhost'), init);
}

describe('the order desk at /', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'desk-'));
    await mkdir(path.join(root, 'assets'));
    await writeFile(path.join(root, 'index.html'), '<!doctype html><title>desk</title>');
    await writeFile(path.join(root, 'assets', 'index-abc123.js'), 'console.log(1)');
    await writeFile(path.join(root, '..', `${path.basename(root)}-secret.txt`), 'secret');
  });

  it('serves index.html at / and never caches it', async () => {
    const response = await appServing(root)('/');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(await response.text()).toContain('<title>desk</title>');
  });

  it('serves hashed assets with their type, cached for good', async () => {
    const response = await appServing(root)('/assets/index-abc123.js');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('cache-control')).toContain('immutable');
  });

  it('never serves a file outside its folder', async () => {
    const fetchPath = appServing(root);
    for (const attempt of [`/../${path.basename(root)}-secret.txt`, `/%2e%2e/${path.basename(root)}-secret.txt`, '/assets/%2e%2e%2f%2e%2e%2fetc%2fpasswd']) {
      const response = await fetchPath(attempt);
      expect(response.status, attempt).toBe(404);
    }
  });

  it('leaves /graphql and other paths to Yoga', async () => {
    const fetchPath = appServing(root);
    expect((await fetchPath('/missing.js')).status).toBe(404);
    const graphql = await fetchPath('/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ ok }' }) });
    expect(await graphql.json()).toEqual({ data: { ok: true } });
  });

  it('says how to build the page when it is not built', async () => {
    const response = await appServing(path.join(root, 'nothing-here'))('/');
    expect(response.status).toBe(503);
    expect(await response.text()).toBe('not built\n');
  });

  it('is built before the tests run (test/web-build-setup.ts), with its script and styles', async () => {
    const response = await appServing(WEB_DIST)('/');
    const html = await response.text();
    expect(html).toMatch(/<script type="module" crossorigin src="\.\/assets\/index-[\w-]+\.js"><\/script>/);
    expect(html).toMatch(/<link rel="stylesheet" crossorigin href="\.\/assets\/index-[\w-]+\.css">/);
  });
});
