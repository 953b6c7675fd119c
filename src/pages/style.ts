// The one stylesheet of every page, served inline: the pages' Content-Security-Policy allows inline styles only.
// The brand's colours come in as custom properties (theme.ts keeps their text readable); the rest is fixed: system
// fonts, 16px controls (no zoom on phones), 44px touch targets, a 42rem column (about 70 characters a line),
// visible focus, contrast above WCAG AA.
import { TEXT, type Theme } from './theme.js';

const RULES = [
  '*,*::before,*::after{box-sizing:border-box}',
  'html{-webkit-text-size-adjust:100%;text-size-adjust:100%}',
  'body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;font-size:1rem;line-height:1.5;color:var(--text);background:#f3f4f6;overflow-wrap:break-word}',
  '.masthead{background:var(--brand);color:var(--on-brand);border-bottom:1px solid rgba(0,0,0,.1)}',
  '.masthead p{max-width:42rem;margin:0 auto;padding:14px 40px;font-weight:700;font-size:1.125rem;letter-spacing:.01em}',
  'main{max-width:42rem;margin:24px auto 48px;padding:32px 40px;background:#fff;border-radius:12px;box-shadow:0 1px 3px rgba(0,0,0,.12)}',
  // On a phone the card is the page: full width, no margin, on white.
  '@media (max-width:600px){body{background:#fff}main{margin:0;padding:24px 16px 32px;border-radius:0;box-shadow:none}.masthead p{padding:12px 16px}}',
  'h1{font-size:1.75rem;line-height:1.2;margin:0 0 12px}',
  'h2{font-size:1.125rem;line-height:1.3;margin:0 0 4px}',
  'p{margin:0 0 12px;max-width:65ch}',
  'a{color:var(--accent);text-underline-offset:2px}',
  '.lead{color:var(--muted);margin-bottom:24px}',
  'fieldset{border:0;margin:0 0 28px;padding:0;min-width:0}',
  'legend{font-weight:700;font-size:1.125rem;padding:0;margin:0 0 8px}',
  '.fields{display:grid;gap:12px 16px}',
  '@media (min-width:600px){.fields.columns{grid-template-columns:1fr 1fr}}',
  '.field label{display:block;font-weight:600;margin-bottom:4px}',
  'input:not([type]),input[type=text],input[type=email],select{display:block;width:100%;min-height:44px;font:inherit;color:inherit;background:#fff;padding:8px 12px;border:1px solid #6b7280;border-radius:8px}',
  'input[type=checkbox]{width:22px;height:22px;margin:0;vertical-align:middle;accent-color:var(--accent)}',
  'table{width:100%;border-collapse:collapse}',
  'th,td{padding:10px 8px;border-bottom:1px solid var(--line)}',
  'thead th{font-size:.875rem;font-weight:600;color:var(--muted);text-align:center}',
  'tbody td{text-align:center;width:5.5rem}',
  'th[scope=row]{text-align:left;font-weight:500}',
  '.actions{display:flex;flex-wrap:wrap;gap:8px;margin:16px 0 0}',
  '@media (max-width:600px){.actions>.button{flex:1 1 auto}.actions.even>.button{flex:1 1 0}}',
  '.button{display:inline-flex;align-items:center;justify-content:center;min-height:44px;padding:8px 18px;font:inherit;font-weight:600;line-height:1.25;text-align:center;text-decoration:none;border:2px solid var(--accent);border-radius:8px;cursor:pointer}',
  '.button:hover{text-decoration:underline}',
  '.primary{background:var(--accent);color:var(--on-accent)}',
  '.secondary{background:#fff;color:var(--accent)}',
  '.danger{background:#fff;color:var(--danger);border-color:var(--danger)}',
  '.danger-primary{background:var(--danger);color:#fff;border-color:var(--danger)}',
  ':focus-visible{outline:3px solid var(--accent);outline-offset:2px}',
  '.notice{padding:12px 16px;border-left:4px solid;border-radius:8px;margin:0 0 20px}',
  '.notice.success{background:#ecfdf5;border-color:#047857;color:#064e3b}',
  '.notice.info{background:var(--tint);border-color:var(--accent)}',
  '.notice.warning{background:#fef3f2;border-color:var(--danger);color:#7a271a}',
  '.panel{border-top:1px solid var(--line);padding-top:20px;margin-top:28px}',
  '.panel>p{color:var(--muted)}',
].join('');

/** The stylesheet for a brand: its colours, then the fixed rules. */
export function pageStyle(theme: Theme): string {
  const vars = `--brand:${theme.brand};--on-brand:${theme.onBrand};--accent:${theme.accent};--on-accent:${theme.onAccent};--tint:${theme.tint}`;
  return `:root{${vars};--text:${TEXT};--muted:#4b5563;--line:#d1d5db;--danger:#b42318}${RULES}`;
}
