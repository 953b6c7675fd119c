// The one stylesheet of every page, served inline: the pages' Content-Security-Policy allows inline styles only.
// System fonts, 16px controls (no zoom on phones), visible focus, contrast above WCAG AA.
export const pageStyle = [
  'body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;font-size:16px;line-height:1.5;background:#f4f4f7;color:#222;margin:0;padding:48px 16px}',
  'main{max-width:480px;margin:auto;background:#fff;border-radius:8px;padding:32px;box-shadow:0 1px 3px rgba(0,0,0,.1)}',
  'h1{font-size:22px;margin-top:0}h2{font-size:18px;margin-top:32px}',
  'a{color:#1f2937}',
  'fieldset{border:1px solid #d1d5db;border-radius:6px;margin:0 0 16px;padding:12px 16px}legend{font-weight:600;padding:0 4px}',
  '.field{margin:8px 0}.field label{display:block;font-weight:500}',
  'input:not([type]),input[type=text],select{font:inherit;padding:6px 8px;border:1px solid #6b7280;border-radius:4px;max-width:100%;box-sizing:border-box}',
  'input[type=checkbox]{width:20px;height:20px;margin:0}',
  'table{border-collapse:collapse}th,td{padding:4px 8px;text-align:center}th[scope=row]{text-align:left;font-weight:400}',
  '.button{font:inherit;border-radius:6px;padding:12px 20px;cursor:pointer;margin:4px 8px 4px 0;border:2px solid #1f2937}',
  '.primary{background:#1f2937;color:#fff}.secondary{background:#fff;color:#1f2937}',
  '.button:hover{text-decoration:underline}',
  ':focus-visible{outline:3px solid #2563eb;outline-offset:2px}',
  '.notice{background:#ecfdf5;border-left:4px solid #047857;padding:8px 12px;border-radius:6px}',
].join('');
