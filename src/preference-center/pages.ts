// Server-rendered pages for people who follow links in messages: French or English, no JavaScript.
import { html, raw } from 'hono/html';

import type { Lang } from '../i18n/index.js';

export const pageText = {
  fr: {
    confirmTitle: 'Se désabonner',
    confirmBody: (topic: string, address: string) => `Vous ne recevrez plus « ${topic} » à l’adresse ${address}.`,
    confirmButton: 'Confirmer le désabonnement',
    doneTitle: 'C’est fait',
    doneBody: (topic: string) => `Vous êtes désabonné(e) de « ${topic} ». Aucun autre message de ce type ne vous sera envoyé.`,
    notFoundTitle: 'Lien invalide',
    notFoundBody: 'Ce lien est invalide ou a expiré.',
  },
  en: {
    confirmTitle: 'Unsubscribe',
    confirmBody: (topic: string, address: string) => `You will no longer receive “${topic}” at ${address}.`,
    confirmButton: 'Confirm unsubscribe',
    doneTitle: 'Done',
    doneBody: (topic: string) => `You are unsubscribed from “${topic}”. You will get no more messages of this kind.`,
    notFoundTitle: 'Invalid link',
    notFoundBody: 'This link is invalid or has expired.',
  },
} as const;

export function page(lang: Lang, title: string, body: ReturnType<typeof html>) {
  return html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${title}</title>
<style>${raw(
    'body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;background:#f4f4f7;color:#222;margin:0;padding:48px 16px}' +
      'main{max-width:480px;margin:auto;background:#fff;border-radius:8px;padding:32px;box-shadow:0 1px 3px rgba(0,0,0,.1)}' +
      'h1{font-size:22px;margin-top:0}button{background:#1f2937;color:#fff;border:0;border-radius:6px;padding:12px 20px;font-size:16px;cursor:pointer}',
  )}</style>
</head>
<body><main><h1>${title}</h1>${body}</main></body>
</html>`;
}
