import { describe, expect, it } from 'vitest';
import { clientAddress } from './SignalingServer.ts';

describe('the address a signaling connection is counted under', () => {
  const handshake = (forwarded?: string | string[]) => ({
    address: '127.0.0.1',
    headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded },
  });

  it('is the peer address unless the server is told it sits behind a proxy', () => {
    expect(clientAddress(handshake('203.0.113.9'), false)).toBe('127.0.0.1');
  });

  it('behind a proxy, is the entry the proxy added (the last), never one the client wrote', () => {
    expect(clientAddress(handshake('198.51.100.1, 203.0.113.9'), true)).toBe('203.0.113.9');
    expect(clientAddress(handshake(['198.51.100.1', '203.0.113.9']), true)).toBe('203.0.113.9');
    expect(clientAddress(handshake(), true)).toBe('127.0.0.1');
    expect(clientAddress(handshake(''), true)).toBe('127.0.0.1');
  });
});
