import { createWriteStream } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import { HttpError } from '../http/errors.ts';
import { BookError } from './errors.ts';

/** The form field that carries the book: one PDF, or one picture per page in reading order. */
export const PAGES_FIELD = 'pages';
/** Room for the form's own boundaries and the text fields on top of the files. */
const FORM_OVERHEAD_BYTES = 1024 * 1024;
/** A client still sending after its upload was refused gets this long before its connection is cut. */
const DRAIN_GRACE_MS = 10_000;

export interface ReceivedUpload {
  /** Text fields by name (the last one wins if a name repeats). */
  fields: Record<string, string>;
  /** Paths of the received files, in the order they were sent. */
  files: string[];
}

export interface UploadLimits {
  /** All files together. */
  maxBytes: number;
  maxFiles: number;
}

/**
 * Streams a multipart/form-data book upload into `dir`, counting bytes as they arrive: the
 * moment the files pass `maxBytes` the upload fails with `book-too-large`, without waiting for
 * the rest. File names and declared types are ignored; files are named by their position.
 */
export function receiveBookUpload(req: IncomingMessage, dir: string, limits: UploadLimits): Promise<ReceivedUpload> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limits.maxBytes + FORM_OVERHEAD_BYTES) {
    stopReading(req);
    return Promise.reject(tooLarge(limits.maxBytes));
  }
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: req.headers,
      limits: {
        files: limits.maxFiles,
        fileSize: limits.maxBytes + 1,
        fields: 30,
        fieldSize: 8 * 1024,
        parts: limits.maxFiles + 30,
        headerPairs: 20,
      },
    });
  } catch {
    return Promise.reject(new HttpError('validation', 'send the book as multipart/form-data'));
  }

  return new Promise<ReceivedUpload>((resolve, reject) => {
    const fields: Record<string, string> = {};
    const files: string[] = [];
    const writes: Array<Promise<void>> = [];
    let received = 0;
    let failed = false;

    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      req.unpipe(parser);
      stopReading(req);
      reject(error);
    };

    parser.on('file', (name, stream) => {
      if (failed) {
        stream.resume();
        return;
      }
      if (name !== PAGES_FIELD) {
        stream.resume();
        fail(new HttpError('validation', `send the book's files in the field "${PAGES_FIELD}"`));
        return;
      }
      const path = join(dir, `upload-${files.length + 1}`);
      files.push(path);
      const counter = new Transform({
        transform(chunk: Buffer, _encoding, done: TransformCallback) {
          received += chunk.length;
          if (received > limits.maxBytes) done(tooLarge(limits.maxBytes));
          else done(null, chunk);
        },
      });
      writes.push(
        pipeline(stream, counter, createWriteStream(path, { flags: 'wx' })).catch((error: unknown) => {
          stream.resume();
          fail(error);
        }),
      );
    });
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated || info.nameTruncated) fail(new HttpError('validation', `the field "${name}" is too long`));
      else fields[name] = value;
    });
    parser.on('filesLimit', () => fail(new BookError('book-too-many-pages', `at most ${limits.maxFiles} pages are allowed`)));
    parser.on('fieldsLimit', () => fail(new HttpError('validation', 'too many form fields')));
    parser.on('partsLimit', () => fail(new HttpError('validation', 'too many form parts')));
    parser.on('error', () => fail(new HttpError('validation', 'the form could not be read')));
    parser.on('close', () => {
      void Promise.all(writes).then(() => {
        if (!failed) resolve({ fields, files });
      });
    });
    req.on('error', fail);
    req.on('aborted', () => fail(new HttpError('validation', 'the upload was cut off')));
    req.pipe(parser);
  });
}

/** Reads and drops whatever is still coming, so the refusal can be sent, but not forever. */
function stopReading(req: IncomingMessage): void {
  req.resume();
  if (req.complete) return;
  const timer = setTimeout(() => req.destroy(), DRAIN_GRACE_MS);
  timer.unref();
  req.once('end', () => clearTimeout(timer));
}

function tooLarge(maxBytes: number): BookError {
  const mb = Math.round((maxBytes / 1024 / 1024) * 10) / 10;
  return new BookError('book-too-large', `the book is larger than ${mb} MB`);
}
