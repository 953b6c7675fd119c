import { describe, expect, it } from 'vitest';
import { createInterpretedRenderer } from './interpreter.js';
import { compileMjml, protectTokens, restoreTokens } from './mjml.js';
import { htmlToText } from './text.js';

const doc = (body: string, head = '') => `<mjml>
  <mj-head>${head}</mj-head>
  <mj-body>
${body}
  </mj-body>
</mjml>`;

const section = (content: string) => `    <mj-section><mj-column>${content}</mj-column></mj-section>`;

describe('compileMjml', () => {
  it('keeps Handlebars tokens byte for byte, quotes included', async () => {
    const { html, errors } = await compileMjml(
      doc(
        section(`<mj-text>Bonjour {{default first_name "cher client"}} &amp; {{{raw}}}</mj-text>
      <mj-image src="https://x.test/a.png" alt='{{default first_name "x"}}' />
      <mj-button href="{{preferences_url}}">Préférences {{money attributes.solde "EUR"}}</mj-button>`),
        '<mj-title>Bonjour {{default first_name "toi"}}</mj-title>',
      ),
    );
    expect(errors).toEqual([]);
    expect(html).toContain('Bonjour {{default first_name "cher client"}} &amp; {{{raw}}}');
    expect(html).toContain('alt="{{default first_name "x"}}"');
    expect(html).toContain('href="{{preferences_url}}"');
    expect(html).toContain('Préférences {{money attributes.solde "EUR"}}');
    expect(html).toContain('<title>Bonjour {{default first_name "toi"}}</title>');
    expect(html).not.toMatch(/hbs_tkn_/);
    expect(html).not.toContain('&quot;cher client&quot;');
  });

  it('keeps block markers wrapped in mj-raw, so the merge removes a whole section', async () => {
    const { html, errors } = await compileMjml(
      doc(`    <mj-raw>{{#if attributes.vip}}</mj-raw>
${section('<mj-text>VIP</mj-text>')}
    <mj-raw>{{else}}</mj-raw>
${section('<mj-text>Standard</mj-text>')}
    <mj-raw>{{/if}}</mj-raw>`),
    );
    expect(errors).toEqual([]);
    const renderer = createInterpretedRenderer();
    const vip = renderer.render(html, { attributes: { vip: true } });
    expect(vip).toContain('VIP');
    expect(vip).not.toContain('Standard');
    expect(renderer.render(html, { attributes: {} })).not.toContain('VIP');
  });

  it('reports block markers MJML dropped between components, with their line', async () => {
    const { errors } = await compileMjml(doc(`    {{#if attributes.vip}}
${section('<mj-text>VIP</mj-text>')}
    {{/if}}`));
    expect(errors).toEqual([
      { line: 4, tagName: 'mj-raw', message: expect.stringContaining('{{#if attributes.vip}}') },
      { line: 6, tagName: 'mj-raw', message: expect.stringContaining('{{/if}}') },
    ]);
  });

  it('reports MJML validation errors with line numbers, even after multi-line tokens', async () => {
    const { html, errors } = await compileMjml(
      doc(`${section('<mj-text>{{#if\n   first_name}}x{{/if}}</mj-text>')}
${section('<mj-text color="not-a-color">x</mj-text><mj-nope>y</mj-nope>')}`),
    );
    expect(html).toContain('{{#if\n   first_name}}x{{/if}}');
    expect(errors).toEqual([
      { line: 6, tagName: 'mj-text', message: 'Attribute color has invalid value: not-a-color for type Color' },
      { line: 6, tagName: 'mj-nope', message: "Element mj-nope doesn't exist or is not registered" },
    ]);
  });

  it('strict mode returns the errors instead of throwing, and no HTML', async () => {
    const result = await compileMjml(doc(section('<mj-text padding="wide">x</mj-text>')), { validationLevel: 'strict' });
    expect(result.html).toBe('');
    expect(result.errors).toEqual([{ line: 4, tagName: 'mj-text', message: expect.stringContaining('Attribute padding has invalid value: wide') }]);
  });

  it('turns unparsable input into an error', async () => {
    const result = await compileMjml('<p>not mjml</p>');
    expect(result.html).toBe('');
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0].line).toBe(1);
  });
});

describe('protectTokens / restoreTokens', () => {
  it('round-trips and drops comments', () => {
    const source = 'a {{x}} {{{y}}} {{!-- c }} --}} {{! d }} {{#if z}}\n{{/if}} {{x}}';
    const { text, tokens } = protectTokens(source);
    expect(text).not.toContain('{{');
    expect(tokens.map((t) => t.token)).toEqual(['{{x}}', '{{{y}}}', '{{#if z}}', '{{/if}}', '{{x}}']);
    expect(tokens.map((t) => t.line)).toEqual([1, 1, 1, 2, 2]);
    expect(restoreTokens(text, tokens)).toEqual({ text: 'a {{x}} {{{y}}}   {{#if z}}\n{{/if}} {{x}}', missing: [] });
  });

  it('never collides with text that looks like a placeholder', () => {
    const { text, tokens } = protectTokens('hbs_tkn_0_ {{a}}');
    expect(restoreTokens(text, tokens).text).toBe('hbs_tkn_0_ {{a}}');
  });
});

describe('htmlToText', () => {
  it('shows links as "text [url]", skips images and the hidden preheader, keeps tokens intact', async () => {
    const { html } = await compileMjml(
      doc(
        section(`<mj-text><h1>Bonjour {{default first_name "cher client"}}</h1>
        <p>Une phrase assez longue pour dépasser la largeur de retour à la ligne, avec {{default first_name "cher client"}} dedans.</p>
        <a href="{{unsubscribe_url}}">Se désinscrire</a></mj-text>
        <mj-image src="https://x.test/logo.png" alt="Logo" />`),
        '<mj-preview>Texte de pré-en-tête</mj-preview>',
      ),
    );
    expect(htmlToText(html)).toBe(
      [
        'Bonjour {{default first_name "cher client"}}',
        '',
        'Une phrase assez longue pour dépasser la largeur de retour à la ligne, avec',
        '{{default first_name "cher client"}} dedans.',
        '',
        'Se désinscrire [{{unsubscribe_url}}]',
      ].join('\n'),
    );
  });

  it('converts merged HTML', () => {
    expect(htmlToText('<p>Voir <a href="https://ex.com/a?b=1&amp;c=2">le site</a> <img src="x.png" alt="x"></p><p>Fin</p>')).toBe(
      'Voir le site [https://ex.com/a?b=1&c=2]\n\nFin',
    );
  });
});
