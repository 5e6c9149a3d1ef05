import type { BoardStroke } from './boardStrokes.ts';
import { paintPicture } from './BoardPainter.ts';

/** The saved picture's width and height in pixels: one pixel per board unit. */
export const PICTURE_PIXELS = 1000;

/** `prefix-YYYY-MM-DD-HHMM.png` in the device's own time, e.g. `drawing-2026-11-30-1405.png`. */
export function pictureFileName(prefix: string, at: Date): string {
  const two = (value: number) => String(value).padStart(2, '0');
  const date = `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())}`;
  return `${prefix}-${date}-${two(at.getHours())}${two(at.getMinutes())}.png`;
}

/**
 * Saves the board as a PNG on this device (the browser's download), painted the same way as
 * the screen. Nothing is sent anywhere. Throws when the browser cannot make the image.
 */
export async function savePicture(strokes: readonly BoardStroke[], fileName: string): Promise<void> {
  const canvas = paintPicture(strokes, PICTURE_PIXELS);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (!blob) throw new Error('the browser could not make a PNG of the board');
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked later: some browsers read the URL only after click() has returned.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
