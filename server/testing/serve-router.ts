import type { AddressInfo } from 'node:net';
import express from 'express';

/** Serves `router` on an ephemeral loopback port. */
export async function serve(router: express.Router): Promise<{ base: string; close: () => Promise<void> }> {
  const app = express();
  app.use(router);
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      })
  };
}
