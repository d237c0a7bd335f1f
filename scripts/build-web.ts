// `npm run build:web` builds the order desk into dist/web; with --if-stale (prestart, predev,
// preapi) it does nothing when the build is newer than every source under web/ and gql/.
import { step } from '../src/observability/progress.js';
import { WEB_DIST, buildWeb, webBuildIsStale } from '../src/web-assets.js';

const ifStale = process.argv.includes('--if-stale');
if (ifStale && !(await webBuildIsStale())) process.exit(0);

try {
  await step(`order desk: building web/ into ${WEB_DIST}`, buildWeb);
} catch (error) {
  // Without Vite (an install without dev dependencies) the API still serves GraphQL, and `/`
  // says how to build the page; a real build error is worth stopping for.
  const missingVite = error instanceof Error && 'code' in error && error.code === 'ERR_MODULE_NOT_FOUND' && /'vite'/.test(error.message);
  if (!(ifStale && missingVite)) throw error;
  console.error('order desk: Vite is not installed (a plain `npm install` installs it); starting without the page');
}
