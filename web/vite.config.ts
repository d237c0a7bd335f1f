// The order desk: a small page (plain TypeScript + urql core) the API serves at `/`.
// `npm run build:web` writes it to dist/web; `npm run web:dev` serves it with hot reload and
// proxies /graphql (HTTP and WebSocket) to the API on PORT (default 4000).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
const outDir = fileURLToPath(new URL('../dist/web', import.meta.url));
const api = `http://localhost:${process.env.PORT ?? 4000}`;

export default defineConfig(({ command }) => ({
  root,
  // relative asset URLs: the page works wherever the API mounts it
  base: './',
  // a build (before every npm start) says nothing unless something is wrong; the dev server says
  // where it listens, which moves on when 5173 is taken
  logLevel: command === 'serve' ? 'info' : 'warn',
  build: { outDir, emptyOutDir: true, target: 'es2022', reportCompressedSize: false },
  server: { proxy: { '/graphql': { target: api, ws: true } } },
}));
