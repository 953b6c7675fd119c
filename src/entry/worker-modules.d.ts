// Modules wrangler bundles as text or bytes ([[rules]] in wrangler.toml), as TypeScript sees them.
declare module 'swagger-ui-dist/swagger-ui-bundle.js' {
  const text: string;
  export default text;
}
declare module 'swagger-ui-dist/swagger-ui.css' {
  const text: string;
  export default text;
}
declare module 'swagger-ui-dist/favicon-32x32.png' {
  const bytes: ArrayBuffer;
  export default bytes;
}
