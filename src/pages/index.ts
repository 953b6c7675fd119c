// The pages layer: the layout, components and stylesheet every server-rendered page shares (hono/jsx).
// Imports only i18n and hono, so any domain can render with it.
export { Layout } from './layout.js';
export { Button, Field, Notice, Section } from './components.js';
export { pageStyle } from './style.js';
