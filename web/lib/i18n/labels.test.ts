import { describe, expect, it } from 'vitest';
import en from './locales/en.json';
import ko from './locales/ko.json';
import zh from './locales/zh.json';

describe.each([
  ['en', en],
  ['ko', ko],
  ['zh', zh]
] as const)('%s labels', (_, dict) => {
  it('tells adding an auction lot from adding a product', () => {
    expect(dict.auction.addLot).not.toBe(dict.shop.addProduct);
    expect(dict.auction.lotTitle).not.toBe(dict.shop.productTitle);
  });

  it('names the ship action after the status it sets', () => {
    expect(dict.sell.ship.toLowerCase()).toContain(dict.orders.status.fulfilled.toLowerCase());
    expect(dict.sell.shipped.toLowerCase()).toBe(dict.orders.status.fulfilled.toLowerCase());
  });

  it('labels pushing to viewers apart from sending a chat message, and a moderator apart from the admin', () => {
    expect(dict.shop.push).not.toBe(dict.chat.send);
    expect(dict.chat.badge.moderator).not.toBe(dict.nav.admin);
  });
});
