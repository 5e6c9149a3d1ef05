import { EventEmitter } from 'node:events';
import type { Logger } from './logger.ts';

type EventMap<T> = Record<keyof T, unknown[]>;

/**
 * An EventEmitter whose `safeEmit` never lets a throwing listener unwind into the code that
 * changed state, so a bug in one subscriber cannot leave a map half-updated.
 */
export class SafeEmitter<E extends EventMap<E>> extends EventEmitter<E> {
  constructor(protected readonly logger: Logger) {
    super();
  }

  protected safeEmit<K extends keyof E & string>(event: K, ...args: E[K]): void {
    try {
      (this.emit as (event: string, ...a: unknown[]) => boolean)(event, ...args);
    } catch (error) {
      this.logger.error({ err: error, event }, 'event listener threw');
    }
  }
}
