import { describe, expect, it } from 'vitest';
import { contrast, TEXT, themeOf, WHITE } from './theme.js';

/** Every colour of a 16-level grid per channel (#000, #001… #fff), 4,096 in all. */
const grid = Array.from({ length: 4096 }, (_, i) => `#${[i >> 8, (i >> 4) & 15, i & 15].map((d) => d.toString(16).repeat(2)).join('')}`);

describe('the brand theme', () => {
  it('computes WCAG contrast ratios', () => {
    // Reference values: black on white is 21:1; #767676 is the lightest grey that reaches 4.5:1 on white.
    expect(contrast('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrast('#ffffff', '#ffffff')).toBe(1);
    expect(contrast('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
    expect(contrast('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
  });

  it('keeps a brand colour that already reads on white, and darkens one that does not, keeping its hue', () => {
    expect(themeOf('#1d4f91')).toMatchObject({ brand: '#1d4f91', onBrand: WHITE, accent: '#1d4f91', onAccent: WHITE });
    const yellow = themeOf('#ffcc00');
    expect(yellow).toMatchObject({ brand: '#ffcc00', onBrand: '#000000' });
    // Darkened: each channel scaled down by the same factor, so red:green stays 255:204.
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(yellow.accent.slice(i, i + 2), 16));
    expect([Math.abs(g / r - 204 / 255) < 0.01, b]).toEqual([true, 0]);
  });

  it('gives every text at least 4.5:1 (AA), whatever the colour', () => {
    for (const color of grid) {
      const t = themeOf(color);
      expect(contrast(t.onBrand, t.brand), `${color} band`).toBeGreaterThanOrEqual(4.5);
      expect(contrast(t.accent, WHITE), `${color} links`).toBeGreaterThanOrEqual(4.5);
      expect(contrast(t.onAccent, t.accent), `${color} buttons`).toBeGreaterThanOrEqual(4.5);
      expect(contrast(TEXT, t.tint), `${color} tint`).toBeGreaterThanOrEqual(4.5);
      expect(contrast(t.accent, t.tint), `${color} accent on tint`).toBeGreaterThanOrEqual(3);
    }
  });
});
