// Preloaded (`node --import`) into a role's process by test/integration/container-commands.test.ts:
// the moment the process hands its ready line to the OS, it sends itself SIGTERM, as a supervisor
// that saw the line may. (pino writes with fs.write, on a libuv thread that can put the line in
// the pipe before the main thread has run its next statement.) A signal to oneself is delivered at
// once: with no handler installed yet, the process dies there; with one, the app shuts down. So a
// role that logs "ready" before it listens for SIGTERM fails every time, not only when the
// supervisor happens to be quick enough.
import { createRequire } from 'node:module';

const fs = createRequire(import.meta.url)('node:fs');
let sent = false;
for (const name of ['write', 'writeSync']) {
  const original = fs[name];
  fs[name] = function (fd, data, ...rest) {
    if (!sent && fd === 1 && / ready/.test(String(data))) {
      sent = true;
      process.kill(process.pid, 'SIGTERM');
    }
    return original.call(this, fd, data, ...rest);
  };
}
