import { describe, expect, it } from 'vitest';
import { answerOf, closeIfGone } from './closedMeanwhile.ts';
import { MediaNotFoundError } from './errors.ts';

const workerFailure = () => Promise.reject(new Error('Channel request handler with ID x not found'));

describe('answers of worker requests about objects that may close meanwhile', () => {
  it('turns a worker failure into the closed object error when the object closed meanwhile', async () => {
    const gone = new MediaNotFoundError('consumer closed');
    await expect(answerOf(workerFailure(), () => gone)).rejects.toBe(gone);
  });

  it('passes a worker failure on an object still open through unchanged: that is a bug', async () => {
    await expect(answerOf(workerFailure(), () => undefined)).rejects.toThrow(/handler with ID x not found/);
  });

  it('leaves rejected parameters as TypeError even if the object closed', async () => {
    const rejected = Promise.reject(new TypeError('invalid fingerprint.algorithm value'));
    await expect(answerOf(rejected, () => new MediaNotFoundError('gone'))).rejects.toBeInstanceOf(TypeError);
  });

  it('waits for close notifications delivered a turn after the failure', async () => {
    let closed = false;
    setImmediate(() => (closed = true)); // as mediasoup delivers a 'producerclose'
    const answer = answerOf(workerFailure(), () => (closed ? new MediaNotFoundError('consumer closed') : undefined));
    await expect(answer).rejects.toBeInstanceOf(MediaNotFoundError);
  });

  it('closes an object made for an owner that closed meanwhile', () => {
    let closes = 0;
    const created = { close: () => closes++ };
    closeIfGone(created, undefined);
    expect(closes).toBe(0);
    expect(() => closeIfGone(created, new MediaNotFoundError('transport closed'))).toThrow(MediaNotFoundError);
    expect(closes).toBe(1);
  });
});
