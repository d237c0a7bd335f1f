// Runs once before the test files: builds the order desk (web/ → dist/web) when a source is newer
// than the build, so the browser and static-file tests always see the current page.
import { buildWeb, webBuildIsStale } from '../src/web-assets.js';

export default async function setup(): Promise<void> {
  if (await webBuildIsStale()) await buildWeb();
}
