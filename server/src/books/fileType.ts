import { open } from 'node:fs/promises';

/** What an uploaded file really is, judged by its first bytes (never its name or declared type). */
export type BookFileType = 'pdf' | 'jpeg' | 'png' | 'webp';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Enough bytes for every signature below. */
export const FILE_TYPE_HEAD_BYTES = 16;

/** The type whose signature the head of a file carries, or null for anything else. */
export function detectFileType(head: Uint8Array): BookFileType | null {
  const bytes = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return 'png';
  if (bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP') return 'webp';
  return null;
}

/** Reads the head of a file on disk and detects its type. */
export async function detectFileTypeOf(path: string): Promise<BookFileType | null> {
  const file = await open(path, 'r');
  try {
    const head = Buffer.alloc(FILE_TYPE_HEAD_BYTES);
    const { bytesRead } = await file.read(head, 0, head.length, 0);
    return detectFileType(head.subarray(0, bytesRead));
  } finally {
    await file.close();
  }
}
