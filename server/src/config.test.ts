import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('configuration', () => {
  it('works on a laptop with no settings at all', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.publicUrl).toBe('http://localhost:3000');
    expect(config.media.announcedIp).toBe('127.0.0.1');
    expect(config.databaseUrl).toBeUndefined();
    expect(config.dataDir).toMatch(/\.tupa-data$/);
    expect(config.media.workers).toBeGreaterThanOrEqual(1);
  });

  it('announces the public IP when the public URL is an address', () => {
    const config = loadConfig({ PUBLIC_URL: 'https://192.0.2.10/' });
    expect(config.publicUrl).toBe('https://192.0.2.10');
    expect(config.media.announcedIp).toBe('192.0.2.10');
    expect(loadConfig({ MEDIA_ANNOUNCED_IP: '198.51.100.7' }).media.announcedIp).toBe('198.51.100.7');
  });

  it('limits book uploads to 100 MiB and 60 pages and seeds shipped books unless told otherwise', () => {
    expect(loadConfig({}).books).toEqual({ maxUploadBytes: 100 * 1024 * 1024, maxPages: 60, seedShipped: true });
    const changed = loadConfig({ BOOK_MAX_UPLOAD_MB: '1', BOOK_MAX_PAGES: '5', SHIPPED_BOOKS: 'off' });
    expect(changed.books).toEqual({ maxUploadBytes: 1024 * 1024, maxPages: 5, seedShipped: false });
    expect(() => loadConfig({ BOOK_MAX_PAGES: '0' })).toThrow(/BOOK_MAX_PAGES/);
    expect(() => loadConfig({ BOOK_MAX_UPLOAD_MB: 'lots' })).toThrow(/BOOK_MAX_UPLOAD_MB/);
    expect(() => loadConfig({ SHIPPED_BOOKS: 'yes' })).toThrow(/SHIPPED_BOOKS/);
  });

  it('keeps open rooms from the start page off unless the organisation turns them on', () => {
    expect(loadConfig({}).openRooms).toBe(false);
    expect(loadConfig({ TUPA_OPEN_ROOMS: '' }).openRooms).toBe(false);
    for (const on of ['true', '1', 'on']) expect(loadConfig({ TUPA_OPEN_ROOMS: on }).openRooms).toBe(true);
    for (const off of ['false', '0', 'off']) expect(loadConfig({ TUPA_OPEN_ROOMS: off }).openRooms).toBe(false);
    expect(() => loadConfig({ TUPA_OPEN_ROOMS: 'yes' })).toThrow(/TUPA_OPEN_ROOMS/);
  });

  it('plans sessions on Helsinki\'s clock unless told another time zone, which Intl must know', () => {
    expect(loadConfig({}).timeZone).toBe('Europe/Helsinki');
    expect(loadConfig({ TUPA_TIME_ZONE: 'America/New_York' }).timeZone).toBe('America/New_York');
    expect(loadConfig({ TUPA_TIME_ZONE: 'europe/stockholm' }).timeZone).toBe('Europe/Stockholm');
    expect(() => loadConfig({ TUPA_TIME_ZONE: 'Europe/Helsinky' })).toThrow(/TUPA_TIME_ZONE: must be a time zone/);
    expect(() => loadConfig({ TUPA_TIME_ZONE: 'EET+2' })).toThrow(/TUPA_TIME_ZONE/);
  });

  it('names every bad setting in one clear error', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', MEDIA_ANNOUNCED_IP: 'example.org' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain('PORT');
    expect(message).toContain('DATABASE_URL');
    expect(message).toContain('MEDIA_ANNOUNCED_IP');
  });
});
