// A TCP load balancer on 127.0.0.1 for cluster tests, standing in for the nginx of
// docker-compose.yml: round-robin over backends, skipping any that refuse connections.
import net from "node:net";

export interface Balancer {
  port: number;
  url: string;
  wsUrl: string;
  close(): Promise<void>;
}

export async function startBalancer(backendPorts: number[]): Promise<Balancer> {
  let next = 0;
  const sockets = new Set<net.Socket>();
  const connectToBackend = (client: net.Socket, attempt = 0) => {
    if (attempt >= backendPorts.length) return client.destroy();
    const port = backendPorts[next++ % backendPorts.length]!;
    const upstream = net.connect(port, "127.0.0.1");
    let connected = false;
    sockets.add(upstream);
    upstream.once("connect", () => {
      connected = true;
      client.pipe(upstream).pipe(client);
      client.resume();
    });
    upstream.once("error", () => {
      sockets.delete(upstream);
      if (!connected) connectToBackend(client, attempt + 1);
      else client.destroy();
    });
    upstream.once("close", () => connected && client.destroy());
    client.once("close", () => upstream.destroy());
  };
  const server = net.createServer({ pauseOnConnect: true }, (client) => {
    sockets.add(client);
    client.on("error", () => client.destroy());
    client.once("close", () => sockets.delete(client));
    connectToBackend(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}/collab`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
