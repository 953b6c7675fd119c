import { describe, expect, it } from 'vitest';
import { smsSegments } from './segments.js';

describe('smsSegments', () => {
  it('GSM-7: 160 per single message, 153 per part', () => {
    expect(smsSegments('')).toEqual({ encoding: 'GSM-7', characters: 0, segments: 0 });
    expect(smsSegments('a'.repeat(160))).toEqual({ encoding: 'GSM-7', characters: 160, segments: 1 });
    expect(smsSegments('a'.repeat(161))).toEqual({ encoding: 'GSM-7', characters: 161, segments: 2 });
    expect(smsSegments('a'.repeat(306))).toEqual({ encoding: 'GSM-7', characters: 306, segments: 2 });
    expect(smsSegments('a'.repeat(307))).toEqual({ encoding: 'GSM-7', characters: 307, segments: 3 });
  });

  it('é, è, à, ù, Ç are GSM-7; ê and ç force UCS-2', () => {
    expect(smsSegments('Café à Noël ? Non : été, où, Ç').encoding).toBe('UCS-2'); // ë is not GSM
    expect(smsSegments('Café à prix réduit, où ? Ç').encoding).toBe('GSM-7');
    expect(smsSegments('fête')).toEqual({ encoding: 'UCS-2', characters: 4, segments: 1 });
    expect(smsSegments('ça').encoding).toBe('UCS-2');
  });

  it('extension characters count two septets', () => {
    expect(smsSegments('€')).toEqual({ encoding: 'GSM-7', characters: 2, segments: 1 });
    expect(smsSegments('[]{}\\^~|\f')).toEqual({ encoding: 'GSM-7', characters: 18, segments: 1 });
    expect(smsSegments('€'.repeat(80))).toEqual({ encoding: 'GSM-7', characters: 160, segments: 1 });
    expect(smsSegments('a'.repeat(159) + '€')).toEqual({ encoding: 'GSM-7', characters: 161, segments: 2 });
  });

  it('never splits an escape pair across parts', () => {
    // 152 septets then € (2) does not fit in the first 153-septet part.
    expect(smsSegments('a'.repeat(152) + '€' + 'a'.repeat(152))).toEqual({ encoding: 'GSM-7', characters: 306, segments: 3 });
    expect(smsSegments('a'.repeat(151) + '€' + 'a'.repeat(153))).toEqual({ encoding: 'GSM-7', characters: 306, segments: 2 });
  });

  it('UCS-2: 70 per single message, 67 per part, emoji count two code units', () => {
    expect(smsSegments('ê'.repeat(70))).toEqual({ encoding: 'UCS-2', characters: 70, segments: 1 });
    expect(smsSegments('ê'.repeat(71))).toEqual({ encoding: 'UCS-2', characters: 71, segments: 2 });
    expect(smsSegments('ê'.repeat(134))).toEqual({ encoding: 'UCS-2', characters: 134, segments: 2 });
    expect(smsSegments('ê'.repeat(135))).toEqual({ encoding: 'UCS-2', characters: 135, segments: 3 });
    expect(smsSegments('😀')).toEqual({ encoding: 'UCS-2', characters: 2, segments: 1 });
    expect(smsSegments('😀'.repeat(35))).toEqual({ encoding: 'UCS-2', characters: 70, segments: 1 });
    expect(smsSegments('😀'.repeat(36))).toEqual({ encoding: 'UCS-2', characters: 72, segments: 2 });
    // 66 units then an emoji: the pair goes to the next part.
    expect(smsSegments('ê'.repeat(66) + '😀' + 'ê'.repeat(66))).toEqual({ encoding: 'UCS-2', characters: 134, segments: 3 });
  });
});
