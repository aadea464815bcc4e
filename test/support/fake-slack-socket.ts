import { AddressInfo } from "node:net";
import { WebSocket, WebSocketServer } from "ws";

export interface SocketEnvelope {
  envelope_id: string;
  type: "slash_commands" | "interactive" | "events_api";
  payload: object;
  accepts_response_payload: boolean;
}

/**
 * Slack's Socket Mode end on 127.0.0.1: the URL `apps.connections.open` hands out, a
 * `hello` on connect, envelopes pushed to the app, and the acknowledgements it sends back.
 */
export class FakeSlackSocket {
  readonly acks: { envelope_id: string; payload?: unknown }[] = [];
  connections = 0;
  private server: WebSocketServer | null = null;
  private readonly open = new Set<WebSocket>();
  private sequence = 0;

  get url(): string {
    return `ws://127.0.0.1:${(this.server!.address() as AddressInfo).port}/link/?ticket=test`;
  }

  get connected(): boolean {
    return this.open.size > 0;
  }

  async start(): Promise<void> {
    this.server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    this.server.on("connection", (socket) => {
      this.connections++;
      this.open.add(socket);
      socket.on("close", () => this.open.delete(socket));
      socket.on("message", (data) => this.acks.push(JSON.parse(String(data)) as { envelope_id: string; payload?: unknown }));
      socket.send(JSON.stringify({ type: "hello", num_connections: 1, connection_info: { app_id: "A111" }, debug_info: { host: "fake" } }));
    });
    await new Promise<void>((resolve) => this.server!.once("listening", () => resolve()));
  }

  /** Pushes a slash command, an interaction or an event to the connected app. */
  push(type: SocketEnvelope["type"], payload: object): string {
    const envelope: SocketEnvelope = { envelope_id: `env-${++this.sequence}`, type, payload, accepts_response_payload: type !== "events_api" };
    for (const socket of this.open) socket.send(JSON.stringify(envelope));
    return envelope.envelope_id;
  }

  /** Slack drops the connection (a deploy on its side, a network cut). */
  dropAll(): void {
    for (const socket of this.open) socket.terminate();
  }

  async stop(): Promise<void> {
    this.dropAll();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
