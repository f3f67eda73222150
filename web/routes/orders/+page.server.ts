import { redirect } from '@sveltejs/kit';
import { appContext } from '$lib/server/context';
import { requireUser } from '$lib/server/guards';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, url }) => {
  const user = requireUser(locals.user, url);
  // An auction win's "Pay now" names the lot: its unpaid order opens straight on the payment page.
  const lotId = url.searchParams.get('lot');
  const won = lotId ? await appContext().orders.unpaidForLot(user.id, lotId) : undefined;
  if (won) redirect(303, `/orders/${won.id}/pay`);
  return {};
};
