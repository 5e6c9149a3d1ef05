import type { memoryPicturesEn } from './en.ts';

export const memoryPicturesFi: { readonly [K in keyof typeof memoryPicturesEn]: string } = {
  'memory.picture.sun': 'Aurinko',
  'memory.picture.cat': 'Kissa',
  'memory.picture.fish': 'Kala',
  'memory.picture.apple': 'Omena',
  'memory.picture.boat': 'Vene',
  'memory.picture.flower': 'Kukka',
  'memory.picture.bird': 'Lintu',
  'memory.picture.tree': 'Puu',
};
