// The pages people reach from links in messages: one-click unsubscribe (/u), the preference center (/p) and the
// double opt-in confirmation (/c), a letter's reply coupon (/q), and the confirmation emails that link there.
export { confirmRouter } from './confirm.handlers.js';
export { couponRouter } from './coupon.handlers.js';
export { preferencesRouter } from './preferences.handlers.js';
export { unsubscribeRouter } from './unsubscribe.handlers.js';
export { sendConfirmations } from './confirmations.service.js';
export { pageRoutes } from './pages.routes.js';
