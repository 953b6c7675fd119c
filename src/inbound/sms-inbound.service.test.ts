import { describe, expect, it } from 'vitest';
import { smsKeyword } from './sms-inbound.service.js';

describe('smsKeyword', () => {
  it.each([
    'STOP', 'stop', 'Stop.', ' STOP! ', 'Arrêt', 'ARRÊT', 'ARRET', 'arret', ' Stop SMS ', 'STOP  sms', 'QUIT', 'End', 'CANCEL', 'Cancel.',
    'UNSUBSCRIBE', 'revoke', 'opt out', 'Opt-Out!', 'OPTOUT', 'STOPALL', 'stop all', 'STOP 🙏',
  ])('%j is STOP', (text) => expect(smsKeyword(text)).toBe('stop'));

  it.each(['START', 'start', 'Unstop', 'YES', 'Yes!'])('%j is START', (text) => expect(smsKeyword(text)).toBe('start'));
  it.each(['HELP', 'help?', 'Aide', 'INFO'])('%j is HELP', (text) => expect(smsKeyword(text)).toBe('help'));

  it.each(['please stop', 'STOPPED', 'stop it', 'no', '', '   ', 'toString', 'constructor', '__proto__'])('%j is not a keyword', (text) =>
    expect(smsKeyword(text)).toBeUndefined());
});
