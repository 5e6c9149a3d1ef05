/** English names of the memory pictures (web/src/lib/games/memory/pictures.ts), said for a face-up card. */
export const memoryPicturesEn = {
  'memory.picture.sun': 'Sun',
  'memory.picture.cat': 'Cat',
  'memory.picture.fish': 'Fish',
  'memory.picture.apple': 'Apple',
  'memory.picture.boat': 'Boat',
  'memory.picture.flower': 'Flower',
  'memory.picture.bird': 'Bird',
  'memory.picture.tree': 'Tree',
} as const;
