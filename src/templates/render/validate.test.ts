import { describe, expect, it } from 'vitest';
import { validateTemplateSource } from './validate.js';

const knownFields = [
  'id', 'email', 'phone', 'first_name', 'last_name', 'external_id', 'locale', 'timezone',
  'address', 'address.city', 'address.postal_code',
  'attributes', 'attributes.host', 'attributes.children', 'attributes.parties',
  'unsubscribe_url', 'preferences_url',
];
const validate = (source: string) => validateTemplateSource(source, { knownFields });

describe('validateTemplateSource: errors', () => {
  it('accepts a clean template', () => {
    expect(validate('Bonjour {{default first_name "cher client"}}, {{money attributes.parties "EUR"}}')).toEqual({ errors: [], warnings: [] });
  });

  it('reports an unclosed block with its line and column', () => {
    const { errors } = validate('Bonjour\n\n{{#if first_name}}\nsalut');
    expect(errors).toHaveLength(1);
    expect(errors[0].line).toBe(4);
    expect(errors[0].message).toMatch(/^Syntax error: Expecting .*got 'EOF' \(a block is probably not closed\)$/);
  });

  it('reports a syntax error inside a mustache', () => {
    expect(validate('ligne 1\n  {{foo bar=}}').errors).toEqual([
      { line: 2, column: 13, message: expect.stringMatching(/^Syntax error: Expecting .* got 'CLOSE'$/) },
    ]);
  });

  it('refuses block parameters where no helper gives them values (they cannot render)', () => {
    expect(validate('{{#if true as |x|}}{{x}}{{/if}}').errors).toEqual([
      { line: 1, column: 1, message: 'Block parameters (as |x|) only work with #each and #with' },
    ]);
    expect(validate('a\n{{#address as |a b|}}{{a}}{{/address}}').errors).toEqual([
      { line: 2, column: 1, message: 'Block parameters (as |a b|) only work with #each and #with' },
    ]);
    expect(validate('{{#each attributes.children as |c i|}}{{i}}{{c}}{{/each}}{{#with address as |a|}}{{a.city}}{{/with}}').errors).toEqual([]);
  });

  it('reports mismatched blocks', () => {
    expect(validate('a\n\n {{#each attributes.children}}{{/if}}').errors).toEqual([
      { line: 3, column: 5, message: "each doesn't match if" },
    ]);
  });

  it('reports helpers outside the safe list, partials and decorators, all with lines', () => {
    const { errors } = validate('a\n{{shout first_name}}\n{{> footer}}\n{{#*inline "x"}}y{{/inline}}\n{{log email}}\n{{#if (lookup this "x")}}{{/if}}{{x (y 1)}}');
    expect(errors.map((e) => [e.line, e.message.split(':')[0]])).toEqual([
      [2, 'Unknown helper "shout"'],
      [3, 'Partials ({{> name}}) are not supported'],
      [4, 'Decorators ({{* name}}) are not supported'],
      [5, 'Unknown helper "log"'],
      [6, 'Unknown helper "x"'],
      [6, 'Unknown helper "y"'],
    ]);
  });
});

describe('validateTemplateSource: warnings', () => {
  it('warns on fields that are neither contact fields nor declared attributes', () => {
    const { errors, warnings } = validate('{{nickname}}\n{{attributes.host}} {{attributes.vip}}\n{{address.city}} {{address.street}} {{attributes}}');
    expect(errors).toEqual([]);
    expect(warnings).toEqual([
      { line: 1, field: 'nickname', message: '"nickname" is not a contact field: it will render empty' },
      { line: 2, field: 'attributes.vip', message: '"attributes.vip" is not a declared attribute: it will render empty' },
    ]);
  });

  it('a known object field covers its sub-paths, but "attributes" does not', () => {
    const fields = ['address', 'attributes'];
    expect(validateTemplateSource('{{address.anything.deep}}', { knownFields: fields }).warnings).toEqual([]);
    expect(validateTemplateSource('{{attributes.undeclared}}', { knownFields: fields }).warnings).toHaveLength(1);
  });

  it('checks helper arguments and sub-expressions', () => {
    const { warnings } = validate('{{#if (gt attributes.score 3)}}{{upper nick}}{{/if}}');
    expect(warnings.map((w) => w.field)).toEqual(['attributes.score', 'nick']);
  });

  it('does not warn inside #each / #with / {{#field}} blocks, but does for ../ and @root', () => {
    const { warnings } = validate(
      [
        '{{#each attributes.children}}{{name}} {{age}} {{../first_name}} {{../nick}} {{@root.email}} {{@root.bad}} {{@index}}{{/each}}',
        '{{#with address}}{{street}}{{else}}{{nope}}{{/with}}',
        '{{#attributes.children}}{{whatever}}{{/attributes.children}}',
        '{{#each attributes.children as |child|}}{{child.name}}{{#if child.age}}{{../last_name}}{{../nick2}}{{/if}}{{/each}}',
      ].join('\n'),
    );
    expect(warnings.map((w) => [w.line, w.field])).toEqual([
      [1, 'nick'],
      [1, 'bad'],
      [2, 'nope'],
      [4, 'nick2'],
    ]);
  });

  it('paths inside #if stay at the root', () => {
    expect(validate('{{#if first_name}}{{nick}}{{else}}{{nick3}}{{/if}}').warnings.map((w) => w.field)).toEqual(['nick', 'nick3']);
  });

  it('this.x is a root path; going above the root is reported', () => {
    expect(validate('{{this.zz}} {{../up}} {{this}}').warnings.map((w) => w.field)).toEqual(['zz', '../up']);
  });

  it('does not warn on helpers called without arguments or on data variables', () => {
    expect(validate('{{upper}} {{@index}} {{@key}}').warnings).toEqual([]);
  });
});
