import type { HttpSession } from './httpClient.ts';
import { startTestServer, type TestServer } from './server.ts';
import { ClientPool, staffAccounts } from './staffAccounts.ts';

/**
 * Request and connection limits no test reaches: for files whose floods of sockets and bad
 * messages from one address are meant for what lies behind the limits (the limits have tests of
 * their own).
 */
export const LIFTED_LIMITS = {
  requestBurst: 1e6,
  requestsPerSecond: 1e6,
  maxViolations: 1e6,
  connectionsPerAddressPerMinute: 1e6,
  connectionsPerPlacePerMinute: 1e6,
};

/**
 * One Tupa for a whole test file with its staff signed in, and every client the file connects.
 * A subclass starts it with its own options through `startWith` (in `beforeAll`) and stops it
 * through `stopServer` (in `afterAll`).
 */
export class ServerPerFile {
  /** Every client the tests connect, closed by `stopServer()`. */
  readonly clients = new ClientPool(() => this.server.url);
  #server: TestServer | undefined;
  #coordinator: HttpSession | undefined;

  /** The running server; throws before it is started. */
  get server(): TestServer {
    if (!this.#server) throw new Error('the server is not started');
    return this.#server;
  }

  /** The coordinator's signed-in session, who makes the rooms and invitations; throws before the server is started. */
  get coordinator(): HttpSession {
    if (!this.#coordinator) throw new Error('the server is not started');
    return this.#coordinator;
  }

  /** Starts the server with `options` (as startTestServer takes them) and signs the staff in. */
  protected async startWith(options: Parameters<typeof startTestServer>[0]): Promise<void> {
    this.#server = await startTestServer(options);
    ({ coordinator: this.#coordinator } = await staffAccounts(this.#server.url));
  }

  /** Closes every client and stops the server (if it started). */
  protected async stopServer(): Promise<void> {
    this.clients.closeAll();
    await this.#server?.stop();
  }
}
