// The pages layer: the layout, components, stylesheet and brand theme every server-rendered page shares (hono/jsx).
// Imports only i18n, hono and libphonenumber-js, so any domain can render with it.
export { Layout } from './layout.js';
export { Actions, Button, Field, LinkButton, Notice, Panel, Section, type ButtonVariant } from './components.js';
export { maskEmail, maskPhone } from './mask.js';
export { pageStyle } from './style.js';
export { brandOf, contrast, themeOf, type Brand, type Theme } from './theme.js';
