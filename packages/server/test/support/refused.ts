import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A loopback URL nothing listens on: a connection to it is refused before anything is sent. */
export async function refusedUrl(): Promise<string> {
  const free = http.createServer();
  free.listen(0, '127.0.0.1');
  await once(free, 'listening');
  const port = (free.address() as AddressInfo).port;
  free.close();
  await once(free, 'close');
  return `http://127.0.0.1:${port}`;
}
