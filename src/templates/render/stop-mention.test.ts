import { describe, expect, it } from 'vitest';
import { smsSegments } from '../../channels/sms/segments.js';
import { appendStopMention, carriesStopMention, smsWithStopMention, stopMentionFor } from './stop-mention.js';

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

  it('is never appended twice: not when the text holds the other language\'s mention or a variant of one', () => {
    const EN = 'Text STOP to 36111';
    // The reported bug: an English SMS that already said how to opt out got the French default on top.
    expect(appendStopMention('Hi, 20% off. Reply STOP to opt out', 'STOP SMS')).toBe('Hi, 20% off. Reply STOP to opt out');
    expect(appendStopMention('Hi, 20% off. STOP au 36111', EN, [M])).toBe('Hi, 20% off. STOP au 36111');
    expect(appendStopMention('Bonjour. Text STOP to 36111', M, [EN])).toBe('Bonjour. Text STOP to 36111');
    expect(appendStopMention('Promo. STOP au 36 111', M)).toBe('Promo. STOP au 36 111');
    expect(appendStopMention('Promo. STOP SMS : répondez STOP', M)).toBe('Promo. STOP SMS : répondez STOP');
    expect(appendStopMention('Promo. Répondez STOP pour ne plus recevoir', M)).toBe('Promo. Répondez STOP pour ne plus recevoir');
    expect(appendStopMention('Promo. STOP: 36111', EN)).toBe('Promo. STOP: 36111');
    expect(appendStopMention('Promo. STOP à 36111', EN)).toBe('Promo. STOP à 36111');
  });

  it('appends when STOP is not an opt-out instruction', () => {
    expect(appendStopMention("Don't STOP now!", M)).toBe("Don't STOP now! STOP au 36111");
    expect(appendStopMention('Bus stop to the left', M)).toBe('Bus stop to the left STOP au 36111');
    expect(appendStopMention('BUSSTOP au coin', M)).toBe('BUSSTOP au coin STOP au 36111');
    // Another short code is not the mention.
    expect(appendStopMention('Promo. Text STOP to 12345', 'Text STOP to 36111', [M])).toBe('Promo. Text STOP to 12345 Text STOP to 36111');
  });

  it('does nothing with an empty mention', () => {
    expect(appendStopMention('Promo', '')).toBe('Promo');
    expect(appendStopMention('Promo', '  ')).toBe('Promo');
  });
});

describe('stopMentionFor: the language of the content decides', () => {
  const mentions = { default: M, en: 'Text STOP to 36111' };
  it.each([['fr', M], ['fr-CA', M], ['en', 'Text STOP to 36111'], ['en-CA', 'Text STOP to 36111'], ['EN-gb', 'Text STOP to 36111'], ['es', M], [null, M]])(
    '%s → %s',
    (locale, expected) => expect(stopMentionFor(locale, mentions)).toBe(expected),
  );

  it('carriesStopMention checks every configured mention', () => {
    expect(carriesStopMention('x STOP au 36111', ['Text STOP to 36111', M])).toBe(true);
    expect(carriesStopMention('x', ['Text STOP to 36111', M])).toBe(false);
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
