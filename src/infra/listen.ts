// Binds an HTTP server to its port, or says in words which setting to change when the port is
// taken: the API (PORT) and a lone worker's metrics listener (METRICS_PORT) both start this way.
import type { Server } from 'node:http';

/** `label`: how the message names the port ("port", "METRICS_PORT"); `variable`: the setting that moves it. */
export async function listenOn(server: Server, port: number, { label, variable }: { label: string; variable: string }): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new Error(`${label} ${port} is already in use by another program: stop it, or set ${variable} to a free port`, { cause: error }) : error);
    server.once('error', failed);
    server.listen(port, () => {
      server.off('error', failed);
      resolve();
    });
  });
}
