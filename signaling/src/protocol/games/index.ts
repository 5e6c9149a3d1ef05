export * from './rules.ts';
export * from './schemas.ts';
export * from './noughtsAndCrosses.ts';
export * from './memory.ts';
