import { describe, expect, it } from 'vitest';
import { smsSegments } from '../../channels/sms/segments.js';
import { appendStopMention, smsWithStopMention } from './stop-mention.js';

const M = 'STOP au 36111';

describe('appendStopMention', () => {
  it('appends after a space, or on the next line when the text ends with a line break', () => {
    expect(appendStopMention('Soldes -50% ce week-end', M)).toBe('Soldes -50% ce week-end STOP au 36111');
    expect(appendStopMention('Soldes -50%   ', M)).toBe('Soldes -50% STOP au 36111');
    expect(appendStopMention('Soldes\n-50%\n', M)).toBe('Soldes\n-50%\nSTOP au 36111');
    expect(appendStopMention('', M)).toBe('STOP au 36111');
  });

  it('leaves a text that already carries the mention (any case or spacing) as it is', () => {
    expect(appendStopMention('Promo ! stop AU 36111', M)).toBe('Promo ! stop AU 36111');
    expect(appendStopMention('Promo\nSTOP  au\n36111 merci', M)).toBe('Promo\nSTOP  au\n36111 merci');
    expect(appendStopMention('Promo STOP au 3611', M)).toBe('Promo STOP au 3611 STOP au 36111');
  });

  it('does nothing with an empty mention', () => {
    expect(appendStopMention('Promo', '')).toBe('Promo');
    expect(appendStopMention('Promo', '  ')).toBe('Promo');
  });
});

describe('smsWithStopMention: the counts a preview must show', () => {
  it('a 155-character GSM text fits one SMS alone and needs two with the mention', () => {
    const text = 'a'.repeat(155);
    expect(smsSegments(text)).toEqual({ encoding: 'GSM-7', characters: 155, segments: 1 });
    expect(smsWithStopMention(text, M)).toEqual({ text: `${text} STOP au 36111`, encoding: 'GSM-7', characters: 169, segments: 2 });
  });

  it('146 characters plus the mention is exactly 160: still one SMS', () => {
    expect(smsWithStopMention('a'.repeat(146), M)).toMatchObject({ encoding: 'GSM-7', characters: 160, segments: 1 });
  });

  it('a UCS-2 text (ê) stays UCS-2 and is counted with the mention', () => {
    const text = `Fête ${'a'.repeat(55)}`; // 60 units
    expect(smsWithStopMention(text, M)).toEqual({ text: `${text} STOP au 36111`, encoding: 'UCS-2', characters: 74, segments: 2 });
  });

  it('without a mention configured the text is counted as it is', () => {
    expect(smsWithStopMention('Bonjour', undefined)).toEqual({ text: 'Bonjour', encoding: 'GSM-7', characters: 7, segments: 1 });
  });
});
