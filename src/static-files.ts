// Serves the order desk's built files (dist/web) at `/`, beside /graphql, as a Yoga plugin so
// that yoga.fetch serves them too. Only GET/HEAD of a file that exists is answered here; every
// other request (/graphql, /health, /ready, /metrics) goes on to Yoga.
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Plugin } from 'graphql-yoga';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

export interface StaticFilesOptions {
  /** folder served at `/`; `/` itself is its index.html */
  root: string;
  /** sent for `/` when the folder has no index.html */
  missingIndex: string;
}

/** The file under `root` that a URL path names, or null (outside root, or not a file). */
async function resolveFile(root: string, pathname: string): Promise<string | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  const file = path.resolve(root, `.${decoded.endsWith('/') ? `${decoded}index.html` : decoded}`);
  // "/../../etc/passwd" resolves outside root: never served
  if (file !== root && !file.startsWith(root + path.sep)) return null;
  const info = await stat(file).catch(() => null);
  return info?.isFile() ? file : null;
}

export function useStaticFiles(options: StaticFilesOptions): Plugin {
  const root = path.resolve(options.root);
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (request.method !== 'GET' && request.method !== 'HEAD') return;
      const file = await resolveFile(root, url.pathname);
      if (!file) {
        if (url.pathname === '/' && !existsSync(path.join(root, 'index.html'))) {
          endResponse(new fetchAPI.Response(options.missingIndex, { status: 503, headers: { 'content-type': 'text/plain; charset=utf-8' } }));
        }
        return;
      }
      // Vite names what it emits under assets/ by content hash: cache it for good; never the page
      const immutable = path.relative(root, file).startsWith(`assets${path.sep}`);
      const headers = {
        'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
        'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
        'x-content-type-options': 'nosniff',
      };
      const body = request.method === 'HEAD' ? null : new Uint8Array(await readFile(file));
      endResponse(new fetchAPI.Response(body, { status: 200, headers }));
    },
  };
}
