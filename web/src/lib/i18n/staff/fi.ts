import type { staffEn } from './en.ts';

export const staffFi: { readonly [K in keyof typeof staffEn]: string } = {
};
