import type { staffEn } from './en.ts';

export const staffSv: { readonly [K in keyof typeof staffEn]: string } = {
};
