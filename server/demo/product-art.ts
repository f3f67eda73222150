/** The demo shop's products are drawn at seed time, so a fresh install needs no downloads. */
export type ProductShape = 'mug' | 'tote' | 'sneaker' | 'beanie';

export interface ProductArt {
  name: string;
  shape: ProductShape;
  /** The product's colour, `#rrggbb`. */
  colour: string;
}

const SIZE = 600;

/** One simple silhouette per shape, drawn in the product's colour on a 600×600 canvas. */
const SHAPES: Record<ProductShape, (c: string) => string> = {
  mug: (c) =>
    `<rect x="170" y="150" width="220" height="260" rx="26" fill="${c}"/>` +
    `<path d="M390 210 h40 a55 55 0 0 1 0 140 h-40" fill="none" stroke="${c}" stroke-width="30"/>` +
    `<rect x="170" y="150" width="220" height="28" rx="14" fill="#000" opacity=".15"/>`,
  tote: (c) =>
    `<path d="M230 200 v-40 a70 70 0 0 1 140 0 v40" fill="none" stroke="${c}" stroke-width="22"/>` +
    `<path d="M160 200 h280 l-24 230 h-232 z" fill="${c}"/>` +
    `<rect x="250" y="280" width="100" height="60" rx="10" fill="#fff" opacity=".35"/>`,
  sneaker: (c) =>
    `<path d="M120 360 q0 -90 60 -130 l70 60 q60 30 150 40 q80 10 80 60 v20 h-360 z" fill="${c}"/>` +
    `<rect x="110" y="405" width="380" height="30" rx="14" fill="#f5f5f4"/>` +
    `<path d="M230 285 l50 -25 M255 310 l50 -25" stroke="#fff" stroke-width="10" stroke-linecap="round"/>`,
  beanie: (c) =>
    `<circle cx="300" cy="150" r="42" fill="${c}" opacity=".8"/>` +
    `<path d="M160 360 a140 170 0 0 1 280 0 z" fill="${c}"/>` +
    `<rect x="145" y="350" width="310" height="70" rx="18" fill="${c}"/>` +
    `<path d="M170 385 h260" stroke="#000" stroke-opacity=".2" stroke-width="8" stroke-dasharray="14 10"/>`
};

/** An SVG illustration of the product with its name under it. */
export function productSvg(art: ProductArt): string {
  if (!/^#[0-9a-f]{6}$/i.test(art.colour)) throw new Error(`not a colour: ${art.colour}`);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}" viewBox="0 0 ${SIZE} ${SIZE}">` +
    `<rect width="${SIZE}" height="${SIZE}" fill="#f4f1ea"/>` +
    `<circle cx="300" cy="290" r="230" fill="${art.colour}" opacity=".12"/>` +
    SHAPES[art.shape](art.colour) +
    `<text x="300" y="535" font-family="DejaVu Sans, sans-serif" font-size="44" font-weight="bold" text-anchor="middle" fill="#1c1917">${escapeXml(art.name)}</text>` +
    `</svg>`
  );
}

/** The demo show's cover: its products side by side, 1280×720 (no words: the card says the rest in the reader's language). */
export function coverSvg(products: readonly ProductArt[]): string {
  const width = 1280;
  const step = width / products.length;
  const tiles = products.map((p, i) => `<g transform="translate(${i * step + (step - 300) / 2} 215) scale(.5)">${SHAPES[p.shape](p.colour)}</g>`).join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="720" viewBox="0 0 ${width} 720">` +
    `<rect width="${width}" height="720" fill="#f4f1ea"/>` +
    products.map((p, i) => `<circle cx="${i * step + step / 2}" cy="360" r="135" fill="${p.colour}" opacity=".14"/>`).join('') +
    tiles +
    `</svg>`
  );
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
