import { requireCoordinator } from '../../coordinatorOnly.ts';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ parent }) => {
  requireCoordinator((await parent()).me);
  return {};
};
