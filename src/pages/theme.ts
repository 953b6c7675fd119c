// The brand colour, and the colours derived from it so that text keeps WCAG AA contrast (4.5:1) whatever it is.

export interface Brand {
  name: string;
  /** #rrggbb */
  color: string;
}

export interface Theme {
  /** The brand colour itself, for the masthead, and the text on it. */
  brand: string;
  onBrand: string;
  /** The brand colour darkened until it reads on white: links, primary buttons, focus rings, and the text on it. */
  accent: string;
  onAccent: string;
  /** A faint wash of the accent, behind dark body text. */
  tint: string;
}

export const WHITE = '#ffffff';
export const BLACK = '#000000';
/** Body text, on white and on the tint. */
export const TEXT = '#1f2937';

type Rgb = [number, number, number];

const rgb = (hex: string): Rgb => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as Rgb;
const hex = (c: Rgb) => `#${c.map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;
const mix = (a: Rgb, b: Rgb, share: number): Rgb => a.map((v, i) => v + (b[i] - v) * share) as Rgb;

/** WCAG 2 relative luminance of a #rrggbb colour. */
export function luminance(color: string): number {
  const [r, g, b] = rgb(color).map((v) => {
    const s = v / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2 contrast ratio, from 1 to 21. */
export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

const AA = 4.5;

/** White text if it reaches AA on `background`; black otherwise, which then always does (4.58:1 at worst). */
const textOn = (background: string) => (contrast(WHITE, background) >= AA ? WHITE : BLACK);

export function themeOf(color: string): Theme {
  const base = rgb(color);
  let accent = color;
  // Darken in small steps towards black, keeping the hue, until the colour reads on white.
  for (let k = 1; contrast(accent, WHITE) < AA; k++) accent = hex(mix(base, [0, 0, 0], Math.min(1, k * 0.04)));
  return { brand: color, onBrand: textOn(color), accent, onAccent: WHITE, tint: hex(mix(rgb(accent), [255, 255, 255], 0.92)) };
}

/** The brand as configured (BRAND_NAME, BRAND_COLOR). */
export const brandOf = (config: { brandName: string; brandColor: string }): Brand => ({ name: config.brandName, color: config.brandColor });
