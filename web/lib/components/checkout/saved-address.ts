import { shippingAddressSchema, type ShippingAddress } from '$shared/orders';

const KEY = 'hawker.address';

export const emptyAddress = (): ShippingAddress => ({ name: '', line1: '', line2: '', city: '', postalCode: '', country: '' });

/** The address this browser last paid with, so the next checkout is a tap; anything unreadable starts blank. */
export function readSavedAddress(saved: string | null): ShippingAddress {
  try {
    const parsed = shippingAddressSchema.safeParse(JSON.parse(saved ?? 'null'));
    return parsed.success ? parsed.data : emptyAddress();
  } catch {
    return emptyAddress();
  }
}

export const loadAddress = (): ShippingAddress => readSavedAddress(localStorage.getItem(KEY));
export const saveAddress = (address: ShippingAddress): void => localStorage.setItem(KEY, JSON.stringify(address));
