import { error } from '@sveltejs/kit';
import { api, ApiError, type Book } from '#lib/staff/api.ts';
import { requireCoordinator } from '../coordinatorOnly.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, parent }) => {
  requireCoordinator((await parent()).me);
  try {
    const { books } = await api<{ books: Book[] }>('GET', '/api/admin/books', { fetchFn: fetch });
    return { books, available: true };
  } catch (problem) {
    // A server without the book shelf yet: say so instead of failing the page.
    if (problem instanceof ApiError && problem.status === 404) return { books: [] as Book[], available: false };
    error(503, 'the book shelf could not be loaded');
  }
};
