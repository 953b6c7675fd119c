// Templates: MJML email and text, with Handlebars merge fields, compiled once per version and merged per recipient.
export { mergeData, MESSAGE_FIELDS, type MergeContact } from './merge-data.js';
export {
  createTemplate, frozenContent, getTemplate, renderContent, textTemplate, type RenderableContent, type Rendered, type TemplateInput,
} from './templates.service.js';
export { findTemplate } from './templates.repository.js';
export { templatesRouter } from './templates.handlers.js';
export * as templateRoutes from './templates.routes.js';
export { createCompiledRenderer } from './render/compiled-renderer.js';
export { createInterpretedRenderer } from './render/interpreter.js';
export type { MergeRenderer } from './render/types.js';
