// The fan-out phase's subscribers, in a process of their own so the API's memory and CPU can be
// read apart from theirs: one real WebSocket per subscriber speaking graphql-transport-ws
// (connection_init with the API key, subscribe to orderStatus), each recording how long every
// live event took from its `at` (the commit's clock) to arrival here, and when it arrived (so
// the bench can time it from its publish, which it sees on Redis).
// Started by bench/fanout.ts with an IPC channel: it says hello, then receives the plan.
import WebSocket from 'ws';
import { epochMs, eventKey } from './lib/completions.js';

export interface FanoutPlan {
  wsUrl: string;
  key: string;
  orderIds: string[];
  subscribers: number;
  /**
   * Subscribers connected by the end of each stage (the last is `subscribers`): after each stage
   * the client reports and, but after the last, waits for 'continue', so the bench can read the
   * API's memory at two points and take the slope, free of start-up costs.
   */
  stages: number[];
  /** WebSocket handshakes + subscriptions in progress at once */
  connectConcurrency: number;
}

export type FanoutMessage =
  | { type: 'hello' }
  | { type: 'progress'; connected: number; subscribed: number; completed: number; events: number; errors: number }
  | { type: 'subscribed'; stage: number; subscribed: number; errors: number }
  /**
   * latenciesMs[i] is the delivery of the event whose `at` was atMs[i] (epoch ms); it arrived at
   * receivedAtMs[i] (bench/lib/completions.ts `epochMs`) and
   * was event eventKeys[i] (bench/lib/completions.ts `eventKey`)
   */
  | { type: 'done'; latenciesMs: number[]; atMs: number[]; receivedAtMs: number[]; eventKeys: string[]; completed: number; events: number; errors: number; closedEarly: number; firstError?: string };

const SUBSCRIPTION = 'subscription Follow($orderId: ID!) { orderStatus(orderId: $orderId) { seq status at } }';

const send = (message: FanoutMessage) => process.send?.(message);

async function run(plan: FanoutPlan) {
  const latenciesMs: number[] = [];
  const atMs: number[] = [];
  const receivedAtMs: number[] = [];
  const eventKeys: string[] = [];
  let connected = 0;
  let subscribed = 0;
  let completed = 0;
  let events = 0;
  let errors = 0;
  let closedEarly = 0;
  let firstError: string | undefined;
  const sockets: WebSocket[] = [];
  const fail = (why: string) => {
    errors++;
    firstError ??= why;
  };

  const ticker = setInterval(() => send({ type: 'progress', connected, subscribed, completed, events, errors }), 250);
  const finish = () => {
    clearInterval(ticker);
    for (const socket of sockets) socket.terminate();
    // The report runs to megabytes: exit only once it is written to the channel. (A fixed 200 ms
    // wait lost it now and then, and the bench waited forever for a client that had gone.)
    const report: FanoutMessage = { type: 'done', latenciesMs, atMs, receivedAtMs, eventKeys, completed, events, errors, closedEarly, firstError };
    process.send?.(report, () => process.exit(0));
  };
  let proceed: () => void = () => undefined;
  process.on('message', (message: { type: string }) => {
    if (message.type === 'finish') finish();
    if (message.type === 'continue') proceed();
  });

  // one subscriber: resolves once its subscription has replayed seq 1 (it is then live on Redis)
  const subscribe = (index: number) =>
    new Promise<void>((resolve) => {
      const orderId = plan.orderIds[index % plan.orderIds.length]!;
      const socket = new WebSocket(plan.wsUrl, 'graphql-transport-ws');
      sockets.push(socket);
      let live = false;
      let done = false;
      const settle = () => {
        if (!live) {
          live = true;
          resolve();
        }
      };
      socket.on('open', () => {
        connected++;
        socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${plan.key}` } }));
      });
      socket.on('message', (raw: Buffer) => {
        const receivedAt = epochMs();
        const message = JSON.parse(raw.toString()) as { type: string; payload?: { data?: { orderStatus?: { seq: number; at: string } } } };
        if (message.type === 'connection_ack') {
          socket.send(JSON.stringify({ type: 'subscribe', id: '1', payload: { query: SUBSCRIPTION, variables: { orderId } } }));
        } else if (message.type === 'next') {
          const event = message.payload?.data?.orderStatus;
          if (!event) return fail(`next without data: ${raw.toString().slice(0, 200)}`);
          events++;
          if (event.seq === 1 && !live) {
            subscribed++;
            settle();
          } else if (event.seq > 1) {
            const at = Date.parse(event.at);
            latenciesMs.push(receivedAt - at);
            atMs.push(at);
            receivedAtMs.push(receivedAt);
            eventKeys.push(eventKey(orderId, event.seq));
          }
        } else if (message.type === 'complete') {
          done = true;
          completed++;
        } else if (message.type === 'error') {
          fail(`subscription error: ${raw.toString().slice(0, 200)}`);
          settle();
        }
      });
      socket.on('error', (error) => {
        fail(`socket error: ${error.message}`);
        settle();
      });
      socket.on('close', (code, reason) => {
        if (!done) {
          closedEarly++;
          firstError ??= `closed ${code} ${reason.toString()}`;
        }
        settle();
      });
    });

  let next = 0;
  for (const [stage, upTo] of plan.stages.entries()) {
    const lane = async () => {
      while (next < upTo) await subscribe(next++);
    };
    await Promise.all(Array.from({ length: Math.min(plan.connectConcurrency, upTo - next) }, lane));
    const resumed = new Promise<void>((resolve) => (proceed = resolve));
    send({ type: 'subscribed', stage, subscribed, errors });
    if (stage < plan.stages.length - 1) await resumed;
  }
  // then wait: the bench starts the worker, and sends 'finish' once every stream completed or time is up
  const check = setInterval(() => {
    if (completed + closedEarly >= plan.subscribers) {
      clearInterval(check);
      finish();
    }
  }, 100);
}

process.once('message', (plan: FanoutPlan) => void run(plan));
// the bench went away: so do the subscribers
process.on('disconnect', () => process.exit(0));
// listening now: the bench may send the plan (a message sent before this point would be lost)
send({ type: 'hello' });
