import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { detectFileType, detectFileTypeOf } from './fileType.ts';

const tiny = (format: 'png' | 'jpeg' | 'webp') =>
  sharp({ create: { width: 4, height: 3, channels: 3, background: '#c04030' } }).toFormat(format).toBuffer();

describe('book file types', () => {
  it('recognises PNG, JPEG and WebP by their first bytes', async () => {
    expect(detectFileType(await tiny('png'))).toBe('png');
    expect(detectFileType(await tiny('jpeg'))).toBe('jpeg');
    expect(detectFileType(await tiny('webp'))).toBe('webp');
  });

  it('recognises a PDF by its header', () => {
    expect(detectFileType(Buffer.from('%PDF-1.4\n%âãÏÓ\n'))).toBe('pdf');
    expect(detectFileType(Buffer.from('%PDF'))).toBeNull();
  });

  it('refuses text, other image formats, empty and almost-right files', () => {
    expect(detectFileType(Buffer.from('Once upon a time'))).toBeNull();
    expect(detectFileType(Buffer.from('GIF89a......'))).toBeNull();
    expect(detectFileType(Buffer.alloc(0))).toBeNull();
    // RIFF, but a WAVE file rather than a WebP.
    expect(detectFileType(Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt ', 'latin1'))).toBeNull();
    // A PNG signature cut short.
    expect(detectFileType(Buffer.from([0x89, 0x50, 0x4e, 0x47]))).toBeNull();
    expect(detectFileType(Buffer.from([0xff, 0xd8]))).toBeNull();
  });

  it('reads only the head of a file on disk, whatever its name says', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tupa-filetype-'));
    try {
      await writeFile(join(dir, 'picture.png'), 'not a picture');
      await writeFile(join(dir, 'story.txt'), await tiny('jpeg'));
      await writeFile(join(dir, 'empty'), '');
      expect(await detectFileTypeOf(join(dir, 'picture.png'))).toBeNull();
      expect(await detectFileTypeOf(join(dir, 'story.txt'))).toBe('jpeg');
      expect(await detectFileTypeOf(join(dir, 'empty'))).toBeNull();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
