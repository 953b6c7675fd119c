export { csrfToken, verifyCsrf, signToken, verifyToken, newSecret, signHitToken, verifyHitToken, type HitClaims, type TokenClaims, type TokenPurpose } from './tokens.js';
export { signShareToken, verifyShareToken, type ShareClaims } from './tokens.js';
export { signWorkspaceShareToken, verifyWorkspaceShareToken, type WorkspaceShareClaims } from './tokens.js';
export { getSigningSecret, rotateSigningSecret, withRecentSecret } from './signing-secret.js';
export { signedLink, readLinkToken } from './links.service.js';
export { linksRouter } from './links.handlers.js';
export * as linkRoutes from './links.routes.js';
export { signReplyAddress, verifyReplyAddress } from './tokens.js';
