// Templates: MJML email and text, with Handlebars merge fields and language variants, compiled once per version
// and merged per recipient within a bounded rendering budget.
export { mergeData, MESSAGE_FIELDS, type MergeContact } from './merge-data.js';
export {
  createTemplate, findTemplateWithVariants, getTemplate, sampleRenderers, type TemplateInput,
} from './templates.service.js';
export {
  contentFor, frozenContent, renderContent, TemplateRenderError, textTemplate, type FrozenContent, type RenderableContent, type Rendered,
} from './rendering.js';
export { stopMentionsFrom } from './stop-mentions.js';
export { DEFAULT_VARIANT, variantKey } from './variants.js';
export { findLanguages, findTemplate } from './templates.repository.js';
export { templatesRouter } from './templates.handlers.js';
export * as templateRoutes from './templates.routes.js';
export { createCompiledRenderer } from './render/compiled-renderer.js';
export { createInterpretedRenderer } from './render/interpreter.js';
export { RenderBudgetError, RENDER_LIMITS } from './render/budget.js';
export type { MergeRenderer } from './render/types.js';
