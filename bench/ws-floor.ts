// The floor under a subscription delivery on this machine: a bare `ws` server, no GraphQL, no
// Redis, sends one ready-made graphql-ws `next` message (the size of an orderStatus event) to each
// of N sockets held by a client process of its own, in waves, and reports its CPU per message and
// the kernel's part. Set beside `bench/delivery-cost.ts` (the API's CPU per delivery), the
// difference is what the GraphQL path adds to each delivery.
//   npx tsx bench/ws-floor.ts [--sockets 10000] [--wave 2500] [--waves 40]
import { fork } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import WebSocket, { WebSocketServer } from 'ws';

const { values } = parseArgs({
  options: {
    sockets: { type: 'string', default: '10000' },
    wave: { type: 'string', default: '2500' },
    waves: { type: 'string', default: '40' },
    /** run as the client process: `--client URL` */
    client: { type: 'string' },
  },
});
const sockets = Number(values.sockets);
const waveSize = Number(values.wave);
const waves = Number(values.waves);
/** waves sent before the measurement, for V8 to optimize the send path */
const WARMUP_WAVES = 8;
/** time for a wave to drain before the next */
const GAP_MS = 300;

/** Holds `count` sockets and reads each message as a subscriber would, until it is killed. */
async function client(url: string, count: number) {
  for (let i = 0; i < count; i++) {
    const socket = new WebSocket(url);
    socket.on('message', (raw: Buffer) => JSON.parse(raw.toString()));
    // a few hundred handshakes at a time
    if (i % 200 === 199) await sleep(5);
  }
}

async function server() {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => wss.once('listening', resolve));
  const { port } = wss.address() as { port: number };
  const connections: WebSocket[] = [];
  wss.on('connection', (socket) => connections.push(socket));
  const child = fork(fileURLToPath(import.meta.url), ['--client', `ws://127.0.0.1:${port}`, '--sockets', String(sockets)]);
  try {
    while (connections.length < sockets) await sleep(100);
    const message = JSON.stringify({ id: '1', type: 'next', payload: { data: { orderStatus: { seq: 3, status: 'BUILDING', at: new Date().toISOString() } } } });
    const wave = async (w: number) => {
      for (let i = 0; i < waveSize; i++) connections[(w * waveSize + i) % sockets]!.send(message);
      await sleep(GAP_MS);
    };
    for (let w = 0; w < WARMUP_WAVES; w++) await wave(w);
    const before = process.cpuUsage();
    for (let w = 0; w < waves; w++) await wave(w);
    const used = process.cpuUsage(before);
    const messages = waveSize * waves;
    console.log(
      `bare ws send to ${sockets} sockets, waves of ${waveSize}: ${((used.user + used.system) / messages).toFixed(1)} µs of CPU per message, ` +
        `${(used.system / messages).toFixed(1)} of them in the kernel (${messages} messages)`,
    );
  } finally {
    child.kill();
    wss.close();
  }
}

if (values.client) await client(values.client, sockets);
else {
  await server();
  process.exit(0);
}
