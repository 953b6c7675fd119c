// Audiences: segment rules compiled to one SQL predicate over contacts, previews, and static lists.
export { compile as compileSegment, findSegmentById as findSegment, previewRule, type QueryLimits } from './segments.service.js';
export { RULE_LIMITS, RuleBudget } from './budget.js';
export { addMembers, insertList, listExistingListIds } from './lists.repository.js';
export { listsRouter } from './lists.handlers.js';
export * as listRoutes from './lists.routes.js';
export { segmentsRouter } from './segments.handlers.js';
export * as segmentRoutes from './segments.routes.js';
