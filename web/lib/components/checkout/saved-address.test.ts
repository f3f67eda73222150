import { describe, expect, it } from 'vitest';
import { emptyAddress, readSavedAddress } from './saved-address';

describe('the remembered shipping address', () => {
  it('comes back as it was saved', () => {
    const address = { name: 'Ann', line1: '1 Market St', line2: '', city: 'Seoul', postalCode: '04524', country: 'KR' };
    expect(readSavedAddress(JSON.stringify(address))).toEqual(address);
  });

  it('starts blank when nothing usable was saved', () => {
    expect(readSavedAddress(null)).toEqual(emptyAddress());
    expect(readSavedAddress('{"name": 3}')).toEqual(emptyAddress());
    expect(readSavedAddress('{')).toEqual(emptyAddress());
  });
});
