// A slow uplink between a browser and the server: a TCP relay on 127.0.0.1 that passes the
// server's answers at once but lets the browser send at most `bytesPerSecond`. Loopback
// uploads finish in milliseconds; through this one a large upload takes seconds, so a
// test can watch its progress. (Chromium's DevTools throttling does not slow uploads.)
import { createServer, connect, type AddressInfo, type Socket } from "node:net";

export interface SlowLink {
  /** http://127.0.0.1:<port>, the origin to open pages on. */
  url: string;
  close(): Promise<void>;
}

export async function startSlowLink(targetPort: number, bytesPerSecond: number): Promise<SlowLink> {
  const sockets = new Set<Socket>();
  const relay = createServer((client) => {
    const upstream = connect(targetPort, "127.0.0.1");
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
      s.on("error", () => {
        client.destroy();
        upstream.destroy();
      });
    }
    upstream.pipe(client);
    upstream.on("end", () => client.end());
    client.on("end", () => upstream.end());
    // Each chunk costs its share of a second before the next one is read (TCP backpressure
    // then slows the browser down).
    client.on("data", (chunk: Buffer) => {
      upstream.write(chunk);
      client.pause();
      setTimeout(() => client.resume(), (chunk.length / bytesPerSecond) * 1000);
    });
  });
  await new Promise<void>((resolve) => relay.listen(0, "127.0.0.1", resolve));
  const port = (relay.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        relay.close(() => resolve());
      }),
  };
}
