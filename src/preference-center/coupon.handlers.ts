import { Hono } from 'hono';
import { findContactById } from '../contacts/index.js';
import type { AppEnv } from '../http/app-env.js';
import { langOf } from '../i18n/index.js';
import { getSigningSecret, readLinkToken, signedLink } from '../links/index.js';
import { brandOf } from '../pages/index.js';
import { recordScannedCoupon } from '../tracking/index.js';
import { CouponPage } from './coupon.page.js';
import { InvalidLinkPage } from './invalid-link.page.js';
import { NO_STORE } from './responses.js';

/**
 * /q/{token}: a letter's reply coupon, as its QR code opens it. Opening it is the reply (counted once, as the code
 * typed in): paper is not prefetched by mail scanners, and a person scanning a code means to answer. The page thanks
 * them and links to their preference center, where letters can be stopped.
 */
export function couponRouter() {
  const app = new Hono<AppEnv>();
  app.get('/q/:token', async (c) => {
    const { db, config, clock } = c.get('deps');
    const brand = brandOf(config);
    // A HEAD (a QR app checking the link before opening it) is no reply.
    if (c.req.method === 'HEAD') return c.body(null, 200, NO_STORE);
    const claims = await readLinkToken(db, c.req.param('token'), 'coupon');
    const recorded = claims ? await recordScannedCoupon(db, claims.messageId, clock()) : undefined;
    if (!claims || !recorded) return c.html(InvalidLinkPage({ lang: 'fr', brand }), 404, NO_STORE);
    const contact = await findContactById(db, claims.contactId);
    const preferencesUrl = await signedLink(await getSigningSecret(db), config.publicUrl, { ...claims, purpose: 'preferences' });
    return c.html(CouponPage({ lang: langOf(contact?.locale), brand, again: recorded.duplicate, preferencesUrl }), 200, NO_STORE);
  });
  return app;
}
