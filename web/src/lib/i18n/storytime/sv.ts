import type { storytimeEn } from './en.ts';

export const storytimeSv: { readonly [K in keyof typeof storytimeEn]: string } = {
};
