import { HttpSession } from './httpClient.ts';
import { TestClient } from './signalingClient.ts';

export const COORDINATOR = { email: 'coordinator@example.org', displayName: 'Kaisa', password: 'coordinator passphrase' };
export const HOST = { email: 'host@example.org', displayName: 'Ville', password: 'host passphrase here' };

export interface StaffAccounts {
  /** Signed in as the first coordinator, made through the one-time setup. */
  coordinator: HttpSession;
  /** Signed in as a host the coordinator created. */
  host: HttpSession;
  hostId: string;
}

/** The first coordinator, made through the one-time setup, which also signs them in. */
export async function firstCoordinator(url: string): Promise<HttpSession> {
  const coordinator = new HttpSession(url);
  const setup = await coordinator.send('POST', '/api/auth/setup', COORDINATOR);
  if (setup.status !== 201) throw new Error(`setup failed: ${setup.status}`);
  return coordinator;
}

/** The staff most tests need: the first coordinator and one host, both signed in. */
export async function staffAccounts(url: string): Promise<StaffAccounts> {
  const coordinator = await firstCoordinator(url);
  const created = await coordinator.send('POST', '/api/staff', { ...HOST, role: 'host' });
  if (created.status !== 201) throw new Error(`creating the host failed: ${created.status}`);
  const host = await new HttpSession(url).signIn(HOST.email, HOST.password);
  return { coordinator, host, hostId: created.json.staff.id as string };
}

/** Socket.IO clients of one test file, all closed together at the end. */
export class ClientPool {
  private readonly clients: TestClient[] = [];

  constructor(private readonly url: () => string) {}

  async connect(cookie?: string): Promise<TestClient> {
    const client = await TestClient.connect(this.url(), cookie);
    this.clients.push(client);
    return client;
  }

  closeAll(): void {
    for (const client of this.clients.splice(0)) client.close();
  }
}

/** A room made by a coordinator; settings not given are those of a small peer group. */
export async function createRoom(staff: HttpSession, settings: Record<string, unknown> = {}): Promise<string> {
  const created = await staff.send('POST', '/api/admin/rooms', {
    name: 'Vertaisryhmä',
    kind: 'peer-group',
    language: 'fi',
    capacity: 6,
    ...settings,
  });
  if (created.status !== 201) throw new Error(`creating the room failed: ${created.status} ${JSON.stringify(created.json)}`);
  return created.json.room.id as string;
}

/** A guest invitation (unless `role` says otherwise) into the room; returns the link's token. */
export async function createInvitation(
  staff: HttpSession,
  roomId: string,
  options: { role?: 'guest' | 'host'; simple?: boolean; label?: string; sessionId?: string; validHours?: number } = {},
): Promise<string> {
  const created = await staff.send('POST', `/api/admin/rooms/${roomId}/invitations`, { role: 'guest', validHours: 24, ...options });
  if (created.status !== 201) throw new Error(`creating the invitation failed: ${created.status}`);
  return created.json.token as string;
}
