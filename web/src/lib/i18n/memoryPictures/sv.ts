import type { memoryPicturesEn } from './en.ts';

export const memoryPicturesSv: { readonly [K in keyof typeof memoryPicturesEn]: string } = {
  'memory.picture.sun': 'Sol',
  'memory.picture.cat': 'Katt',
  'memory.picture.fish': 'Fisk',
  'memory.picture.apple': 'Äpple',
  'memory.picture.boat': 'Båt',
  'memory.picture.flower': 'Blomma',
  'memory.picture.bird': 'Fågel',
  'memory.picture.tree': 'Träd',
};
