import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import type { Hono } from 'hono';
import { turnBudget } from './turn-budget.js';
import { frontDoor, overBudgetShed } from './front-door.js';
import type { Runtime, ServerEnv } from './runtime.js';

/** Where to listen. */
export interface ListenOptions {
  /** Default: the configuration's `server.port` (3000); 0 picks a free port. */
  port?: number;
  /** Default: the configuration's `server.host` (`127.0.0.1`). */
  host?: string;
  /** Close gracefully on SIGTERM and SIGINT (default false; the CLI turns it on). */
  signals?: boolean;
}

/** A listening HTTP server. */
export interface ListeningServer {
  readonly port: number;
  readonly host: string;
  /** `http://host:port`. */
  readonly url: string;
  /**
   * Stops accepting connections, lets in-flight requests finish (idle keep-alive connections are
   * closed at once, busy ones after their answer), and resolves when all are done — or cuts what
   * is left after the server's `shutdownTimeoutMs`.
   */
  close(): Promise<void>;
}

/** Starts a Node HTTP server for the app, with graceful shutdown. */
export function listen(
  app: Hono<ServerEnv>,
  rt: Runtime,
  options: { port: number; host: string },
): Promise<ListeningServer> {
  return new Promise((resolve, reject) => {
    let server: Server;
    const onError = (error: Error) => reject(error);
    const limits = rt.server.limits;
    server = createServer(
      {
        // A client has this long for its headers, and then for its body, or gets 408 and is cut.
        headersTimeout: limits.headersTimeoutMs,
        requestTimeout: limits.headersTimeoutMs + limits.bodyTimeoutMs,
        // How often Node checks those timeouts (its default, 30 s, would let them run over).
        connectionsCheckingInterval: Math.max(100, Math.min(1000, Math.floor(limits.headersTimeoutMs / 2))),
      },
      // Overloaded, an API request is shed before the framework sees it (see frontDoor); one turn
      // of the loop reads requests for a bounded while, so timers still run (see turnBudget).
      // Read past the budget with no slot free for it, an API request is shed then, not held.
      turnBudget(
        frontDoor(getRequestListener(app.fetch), rt.admission, rt.server.cors?.origins ?? []),
        limits.turnBudgetMs,
        limits.shedOverBudget ? { shed: overBudgetShed(rt.admission, rt.server.cors?.origins ?? []) } : {},
      ),
    );
    server.maxConnections = limits.maxConnections;
    server.once('error', onError);
    // A deep accept queue: a burst of connections waits for the loop instead of having its SYNs
    // dropped (and retried by the client's kernel 1, 3, 7 s later). The kernel caps it (somaxconn).
    server.listen(
      { port: options.port, host: options.host, backlog: Math.min(limits.maxConnections, 65_535) },
      () => {
        server.off('error', onError);
        const address = server.address() as AddressInfo;
        const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
        let closing: Promise<void> | undefined;
        rt.log({ time: new Date(rt.now()).toISOString(), level: 'info', msg: 'listening' });
        resolve({
          port: address.port,
          host: address.address,
          url: `http://${host}:${address.port}`,
          close() {
            closing ??= new Promise<void>((done) => {
              rt.state.draining = true;
              rt.log({ time: new Date(rt.now()).toISOString(), level: 'info', msg: 'shutdown' });
              const sweep = setInterval(() => server.closeIdleConnections(), 25);
              const cut = setTimeout(() => server.closeAllConnections(), rt.options.shutdownTimeoutMs);
              server.close(() => {
                clearInterval(sweep);
                clearTimeout(cut);
                done();
              });
              server.closeIdleConnections();
            });
            return closing;
          },
        });
      },
    );
  });
}
