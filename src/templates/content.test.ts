import { describe, expect, it } from 'vitest';
import type { AttributeDefinition } from '../contacts/index.js';
import { prepareContent, type ContentChecks } from './content.js';
import { createCompiledRenderer } from './render/compiled-renderer.js';
import { createInterpretedRenderer } from './render/interpreter.js';
import type { MergeRenderer } from './render/types.js';
import { sampleMergeData } from './sample-data.js';
import { sampleRenderers } from './templates.service.js';

const attributes = (n: number): AttributeDefinition[] => Array.from({ length: n }, (_, i) => ({ name: `a${i}`, type: 'text' }));

function checks(defs: AttributeDefinition[], renderers: MergeRenderer[]): ContentChecks {
  return { knownFields: ['attributes', ...defs.map((d) => `attributes.${d.name}`)], attributes: defs, renderers, problems: [], warnings: [] };
}

describe('before saving, content is merged with sample data on each renderer', () => {
  it('tries both renderers on Node, the interpreter alone on the Worker', () => {
    const compiled = createCompiledRenderer();
    expect(sampleRenderers(compiled).map((r) => r.name)).toEqual(['compiled', 'interpreted']);
    expect(sampleRenderers(compiled)[1]).toBe(sampleRenderers(compiled)[1]);
    const interpreted = createInterpretedRenderer();
    expect(sampleRenderers(interpreted)).toEqual([interpreted]);
  });

  it('fills every declared attribute: loops over them are refused when the budget would not hold', async () => {
    // Four nested loops over the attributes: 3⁴ iterations are fine, 16⁴ (two steps each) exceed 100,000 steps.
    const text = '{{#each attributes}}{{#each @root.attributes}}{{#each @root.attributes}}{{#each @root.attributes}}x{{/each}}{{/each}}{{/each}}{{/each}}';
    const renderers = sampleRenderers(createCompiledRenderer());
    const few = checks(attributes(3), renderers);
    expect(await prepareContent('sms', 'fr', { text }, '', few)).toMatchObject({ locale: 'fr', text });
    expect(few.problems).toEqual([]);
    const many = checks(attributes(16), renderers);
    await prepareContent('sms', 'en', { text }, 'variants[0].', many);
    expect(many.problems).toEqual([{
      field: 'variants[0].text',
      message: 'with sample data (every field and attribute filled): Rendering budget exceeded: more than 100000 steps (loops and blocks run, statements, helper calls)',
    }]);
  });

  it('names the first renderer that fails, once per field', async () => {
    const failing = (name: 'compiled' | 'interpreted'): MergeRenderer => ({ name, render: () => { throw new Error(`${name} is broken`); } });
    const c = checks([], [failing('interpreted'), failing('compiled')]);
    await prepareContent('sms', 'fr', { text: 'Bonjour' }, '', c);
    expect(c.problems).toEqual([{ field: 'text', message: 'with sample data (every field and attribute filled): cannot be rendered: interpreted is broken' }]);
  });

  it('the sample contact has every field, the language asked and long values', () => {
    const data = sampleMergeData([{ name: 'host', type: 'boolean' }, { name: 'size', type: 'enum', values: ['S', 'XXL'] }, { name: 'bio', type: 'text' }], 'en-CA');
    expect(data).toMatchObject({ locale: 'en-CA', address: { country: 'CA' }, attributes: { host: true, size: 'XXL' } });
    expect((data.attributes as { bio: string }).bio).toHaveLength(200);
    expect(Object.keys(data).sort()).toEqual([
      'address', 'attributes', 'brand_name', 'campaign_name', 'created_at', 'email', 'external_id', 'first_name', 'id', 'last_name', 'locale',
      'phone', 'preferences_url', 'timezone', 'unsubscribe_url', 'updated_at',
    ]);
  });
});
