import { error } from '@sveltejs/kit';
import { ApiError, request, restApi, type ShelfBook } from '#lib/staff/api.ts';
import { requireCoordinator } from '../coordinatorOnly.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, parent }) => {
  requireCoordinator((await parent()).me);
  try {
    const { books } = await request(restApi.listShelf, { fetchFn: fetch });
    return { books, available: true };
  } catch (problem) {
    // A server without the book shelf yet: say so instead of failing the page.
    if (problem instanceof ApiError && problem.status === 404) return { books: [] as ShelfBook[], available: false };
    error(503, 'the book shelf could not be loaded');
  }
};
