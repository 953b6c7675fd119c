const EMAIL = /^[^\s@"<>(),;:\\[\]]+@[^\s@"<>(),;:\\[\]]+\.[^\s@"<>(),;:\\[\]]{2,}$/;

/** The lower-cased address, or undefined when it is not one. */
export function normaliseEmail(raw: string): string | undefined {
  const s = raw.trim().toLowerCase();
  return s.length <= 254 && EMAIL.test(s) ? s : undefined;
}
