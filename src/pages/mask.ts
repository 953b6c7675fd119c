// Addresses shown on pages reached by a link: enough for the person to recognise theirs, too little for whoever
// else got the link to learn it.
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

const DOTS = '•••';

/** c•••@example.fr: the first character of the local part, then the domain. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return DOTS;
  return `${Array.from(email)[0]}${DOTS}${email.slice(at)}`;
}

/**
 * +33 6 •• •• •• 78: the number in its international format, keeping the country code, the first group after it and
 * the last two digits.
 */
export function maskPhone(phone: string): string {
  const formatted = parsePhoneNumberFromString(phone)?.formatInternational() ?? phone;
  const groups = formatted.split(' ');
  const head = groups.length > 2 ? `${groups[0]} ${groups[1]} ` : '';
  const tail = formatted.slice(head.length);
  const digits = tail.replace(/\D/g, '').length;
  let seen = 0;
  // Non-breaking spaces: a number is never split across two lines.
  return (head + tail.replace(/\d/g, (d) => (++seen > digits - 2 ? d : '•'))).replaceAll(' ', '\u00a0');
}
