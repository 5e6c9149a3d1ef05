import net from 'node:net';
import { describe, expect, test } from 'vitest';
import { createSequelize } from './connection.ts';
import { silentLogger } from './test-helpers.ts';

/** One backend message: type byte, int32 length (itself included), body. */
function message(type: string, body: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.write(type, 0, 'ascii');
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}

/**
 * A loopback peer that completes the handshake and, in the same TCP segment, terminates the session
 * the way a PostgreSQL shutting down does: exactly the moment at which Sequelize 6 has not yet
 * attached its own 'error' listener to the new pg client.
 */
async function startServerThatTerminatesAfterHandshake(): Promise<net.Server> {
  const authenticationOk = message('R', Buffer.from([0, 0, 0, 0]));
  const readyForQuery = message('Z', Buffer.from('I'));
  const adminShutdown = message(
    'E',
    Buffer.from('SFATAL\0C57P01\0Mterminating connection due to administrator command\0\0', 'utf8'),
  );
  const server = net.createServer((socket) => {
    socket.on('error', () => {}); // the client may reset; nothing to learn from it here
    socket.once('data', () => {
      socket.end(Buffer.concat([authenticationOk, readyForQuery, adminShutdown]));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

describe('database connections', () => {
  test('a connection terminated right after its handshake fails the query instead of crashing the process', async () => {
    const server = await startServerThatTerminatesAfterHandshake();
    const { port } = server.address() as net.AddressInfo;
    const sequelize = createSequelize(`postgres://tupa:secret@127.0.0.1:${port}/tupa`, silentLogger);
    try {
      await expect(sequelize.query('SELECT 1')).rejects.toThrow();
      await expect(sequelize.query('SELECT 1')).rejects.toThrow();
    } finally {
      await sequelize.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
