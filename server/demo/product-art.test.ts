import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { DEMO_PRODUCTS } from './demo-content.ts';
import { coverSvg, productSvg } from './product-art.ts';

describe('productSvg', () => {
  it('draws every demo product as an image sharp can read, in the product’s colour', async () => {
    for (const p of DEMO_PRODUCTS) {
      const { data, info } = await sharp(Buffer.from(productSvg(p))).raw().toBuffer({ resolveWithObject: true });
      expect([info.width, info.height]).toEqual([600, 600]);
      const [r, g, b] = [1, 3, 5].map((i) => parseInt(p.colour.slice(i, i + 2), 16));
      // A good part of the picture is the product's own colour (its silhouette).
      let painted = 0;
      for (let i = 0; i < data.length; i += info.channels) if (Math.abs(data[i]! - r!) + Math.abs(data[i + 1]! - g!) + Math.abs(data[i + 2]! - b!) < 12) painted++;
      expect(painted / (600 * 600)).toBeGreaterThan(0.08);
    }
  });

  it('escapes the name and refuses what is not a colour', () => {
    expect(productSvg({ name: 'A <b> & "c"', shape: 'mug', colour: '#112233' })).toContain('A &#60;b&#62; &#38; &#34;c&#34;');
    expect(() => productSvg({ name: 'x', shape: 'mug', colour: 'red;stroke:url(x)' })).toThrow();
  });
});

describe('coverSvg', () => {
  it('draws the demo show’s cover from its products', async () => {
    const meta = await sharp(Buffer.from(coverSvg(DEMO_PRODUCTS))).metadata();
    expect([meta.width, meta.height]).toEqual([1280, 720]);
  });
});
