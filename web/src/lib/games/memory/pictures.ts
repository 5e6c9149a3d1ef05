import type { MEMORY_PICTURE_COUNT } from '@tupa/signaling/protocol';
import type { MessageKey } from '../../i18n/en.ts';

/** One picture of the memory set: where its SVG is served, and the catalogue key of its name. */
export interface MemoryPicture {
  readonly url: string;
  /** What a screen reader says for a face-up card ("Cat"), in the person's language. */
  readonly name: MessageKey;
}

/**
 * The memory pictures (web/static/games/memory/, drawn for Tupa, CC BY 4.0; see CREDITS.md
 * there), in the order of the picture numbers the rules deal (0..MEMORY_PICTURE_COUNT-1): a
 * face-up card's `picture` is an index into this list. Each differs from the others in shape,
 * not only in colour. The type holds the list to exactly MEMORY_PICTURE_COUNT pictures.
 */
export const MEMORY_PICTURES: readonly MemoryPicture[] & { readonly length: typeof MEMORY_PICTURE_COUNT } = [
  { url: '/games/memory/sun.svg', name: 'memory.picture.sun' },
  { url: '/games/memory/cat.svg', name: 'memory.picture.cat' },
  { url: '/games/memory/fish.svg', name: 'memory.picture.fish' },
  { url: '/games/memory/apple.svg', name: 'memory.picture.apple' },
  { url: '/games/memory/boat.svg', name: 'memory.picture.boat' },
  { url: '/games/memory/flower.svg', name: 'memory.picture.flower' },
  { url: '/games/memory/bird.svg', name: 'memory.picture.bird' },
  { url: '/games/memory/tree.svg', name: 'memory.picture.tree' },
] as const;
