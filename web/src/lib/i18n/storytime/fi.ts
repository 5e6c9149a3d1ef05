import type { storytimeEn } from './en.ts';

export const storytimeFi: { readonly [K in keyof typeof storytimeEn]: string } = {
};
