import type { ProductArt } from './product-art.ts';

/**
 * What the demo shop sells and who takes part in it. Demo accounts carry "(demo)" in the name
 * everyone sees (bids, chat, winners), so no buyer mistakes them for people.
 */
export const DEMO_ACCOUNTS = [
  { email: 'mina@demo.hawker.invalid', displayName: 'Mina (demo)' },
  { email: 'joon@demo.hawker.invalid', displayName: 'Joon (demo)' },
  { email: 'wei@demo.hawker.invalid', displayName: 'Wei (demo)' },
  { email: 'sam@demo.hawker.invalid', displayName: 'Sam (demo)' }
] as const;

export interface DemoProduct extends ProductArt {
  description: string;
  /** Minor units of USD. */
  price: number;
  stock: number;
  /** The auction lot cut from it: its title and starting price. */
  lot: { title: string; startingPrice: number };
}

export const DEMO_PRODUCTS: readonly DemoProduct[] = [
  {
    name: 'Sunset mug', shape: 'mug', colour: '#ea580c', price: 1800, stock: 40,
    description: 'Stoneware, 350 ml, glazed in sunset orange. A demo product: payments in the demo use the test card.',
    lot: { title: 'Sunset mug, first firing', startingPrice: 500 }
  },
  {
    name: 'Canvas tote', shape: 'tote', colour: '#0284c7', price: 2400, stock: 40,
    description: 'Heavy cotton canvas with an inside pocket. A demo product: payments in the demo use the test card.',
    lot: { title: 'Canvas tote, signed', startingPrice: 800 }
  },
  {
    name: 'Trail sneaker', shape: 'sneaker', colour: '#16a34a', price: 6800, stock: 40,
    description: 'Light trail runner with a grippy sole. A demo product: payments in the demo use the test card.',
    lot: { title: 'Trail sneaker, sample pair', startingPrice: 2000 }
  },
  {
    name: 'Wool beanie', shape: 'beanie', colour: '#9333ea', price: 2200, stock: 40,
    description: 'Hand-knit merino in violet. A demo product: payments in the demo use the test card.',
    lot: { title: 'Wool beanie, hand-knit', startingPrice: 600 }
  }
];

export const DEMO_POLLS = [
  { question: 'Which colour should we drop next?', options: ['Sunset orange', 'Sea blue', 'Violet'] },
  { question: 'Next auction: mug or tote?', options: ['Mug', 'Tote'] },
  { question: 'How do you watch today?', options: ['Phone', 'Laptop', 'TV'] }
] as const;

/** A few lines the demo accounts post, in the languages the shop's buyers read. */
export const DEMO_CHAT = [
  'Hi everyone, first time here',
  'That orange mug is lovely',
  '이 머그 색 정말 예뻐요!',
  '这个托特包看起来很实用',
  'Going for the next lot!',
  'The countdown got me, ha',
  '비니 따뜻해 보여요',
  '运动鞋看起来很轻'
] as const;

/** The demo's coupon: a percentage off everything in the demo show. */
export const DEMO_COUPON = { discountKind: 'percent', discountValue: 10, maxClaims: 500 } as const;
