// `npm run api`: the API role alone, for running several behind a load balancer.
//
// package.json starts it with V8's young-generation semi-spaces at 64 MB (--max-semi-space-size=64;
// the default is 16). Each event delivered to a subscriber allocates about 20 KB that is garbage
// a few milliseconds later, thousands of deliveries at a time. With the default size, the bench's
// fan-out (10,000 subscribers) filled the old generation during its delivery bursts, and the
// mark-compact of the whole ~200 MB heap that followed stalled deliveries for 200-450 ms; with 64 MB
// no such collection happened during delivery, and the GC's CPU per delivery halved.
//
// It also turns off V8's allocation-site pretenuring (--no-allocation-site-pretenuring). V8
// allocates straight into the old generation the objects of an allocation site whose objects
// mostly survived the last young-generation collections. Under a steady stream of requests some
// sites produce about one object per request that outlives the next collection, and V8 pretenures
// them; but they die soon after, and in the old generation only a mark-compact reclaims them.
// Without pretenuring, the old generation grew by 1.3 MB per collection instead of 3.6, each
// scavenge took about half as long, and the API's collections 30-45 % less time in all
// (docs/performance.md, item 23).
import { startApi } from './api-process.js';
import { bootRuntime, onShutdown, orExit } from './process-lifecycle.js';

const { runtime, stopInfrastructure } = await bootRuntime('api');
const api = await orExit(startApi(runtime), async () => {
  await runtime.close();
  await stopInfrastructure();
}, runtime.logger);
onShutdown(async () => {
  await api.close();
  await runtime.close();
  await stopInfrastructure();
}, { logger: runtime.logger });
runtime.logger.info({ graphql: api.url, desk: new URL('/', api.url).href }, `GraphQL API ready: ${api.url}, order desk at ${new URL('/', api.url).href}`);
