// The physics baseline: a `ws` server that forwards every frame to every other socket; it also
// holds plain Y.Docs for the pure-Yjs memory reference, and relays an AI reply one frame per
// token to every socket (the physics of AI streaming).
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";
import * as Y from "yjs";
import { RELAY_END, type RelayResult } from "./protocol";
import { cpuMs } from "./reply-trace";
import type { Target } from "./server-entry";
import { upstreamTokens } from "./upstream";
import { fillConversation } from "./workload";

export async function startRaw(): Promise<Target> {
  const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise<void>((resolve) => wss.once("listening", resolve));
  wss.on("connection", (socket: WebSocket) => {
    socket.on("message", (data, isBinary) => {
      for (const other of wss.clients) if (other !== socket && other.readyState === 1) other.send(data, { binary: isBinary });
    });
  });
  const pure: Y.Doc[] = [];
  const port = (wss.address() as AddressInfo).port;
  return {
    ready: { ready: true, wsUrl: `ws://127.0.0.1:${port}`, httpUrl: "" },
    async handle(command) {
      if (command.cmd === "pureDocs") {
        for (let i = 0; i < command.count; i++) {
          const doc = new Y.Doc();
          fillConversation(doc, { id: "u1", name: "U1" }, command.messages);
          pure.push(doc);
        }
        return pure.length;
      }
      if (command.cmd === "relay") {
        const result: RelayResult = { tokens: 0, cpuAtFirstMs: Number.NaN, cpuAtLastMs: Number.NaN };
        for await (const token of upstreamTokens(command.url, command.prompt)) {
          for (const client of wss.clients) if (client.readyState === 1) client.send(token);
          if (result.tokens++ === 0) result.cpuAtFirstMs = cpuMs();
        }
        result.cpuAtLastMs = cpuMs();
        for (const client of wss.clients) if (client.readyState === 1) client.send(RELAY_END);
        return result;
      }
      throw new Error(`raw ws does not answer ${command.cmd}`);
    },
    async stop() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

