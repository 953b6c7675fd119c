// Shared cases for both renderers. `expected` is written by hand (not produced by a renderer):
// both renderers agreeing is not enough, since both could be wrong the same way.
import type { RenderLimits } from './budget.js';
import type { MergeData, RenderOptions } from './types.js';

export interface RenderFixture {
  name: string;
  source: string;
  data: MergeData;
  escape?: boolean;
  /** The content's language and the recipient's currency. */
  format?: RenderOptions['format'];
  expected?: string;
}

const NNBSP = '\u202f'; // Intl fr group separator
const NBSP = '\u00a0'; // Intl fr space before the currency sign

export const contact: MergeData = {
  id: 42,
  email: 'jeanne@example.com',
  first_name: 'Jeanne',
  last_name: "D'Arc",
  locale: 'fr-FR',
  timezone: 'Europe/Paris',
  address: { city: 'Orléans', postal_code: '45000' },
  attributes: {
    parties: 4,
    annual_revenue: 1254,
    birthday: '1990-05-14',
    vip: true,
    plan: 'gold',
    zero: 0,
    empty: '',
    tags: ['a', 'b'],
    children: [
      { name: 'Léa', age: 7 },
      { name: 'Tom', age: 4 },
    ],
  },
  sent_at: '2025-03-01T18:30:00Z',
  unsubscribe_url: 'https://ex.com/u?t=abc&x=1',
};

const english: MergeData = { ...contact, locale: 'en', timezone: 'America/New_York' };

const groups: MergeData = {
  sep: '/',
  groups: [
    { name: 'A', items: ['x', 'y'] },
    { name: 'B', items: ['z'] },
  ],
};

const evil: MergeData = {
  evil: '<script>alert("x")</script>',
  q: "it's \"q\" = `b`",
  first_name: 'Jeanne',
};

export const fixtures: RenderFixture[] = [
  { name: 'plain content', source: 'Bonjour à tous 👋', data: contact, expected: 'Bonjour à tous 👋' },
  { name: 'simple field', source: 'Bonjour {{first_name}} !', data: contact, expected: 'Bonjour Jeanne !' },
  {
    name: 'nested path',
    source: '{{address.city}} ({{address.postal_code}})',
    data: contact,
    expected: 'Orléans (45000)',
  },
  {
    name: 'missing fields render empty',
    source: '[{{nickname}}][{{address.street}}][{{attributes.nope.deep}}][{{../up}}][{{@index}}]',
    data: contact,
    expected: '[][][][][]',
  },
  {
    name: 'escaping of html, quotes, = and backtick',
    source: '{{evil}}|{{q}}',
    data: evil,
    expected: '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;|it&#x27;s &quot;q&quot; &#x3D; &#x60;b&#x60;',
  },
  {
    name: 'escaping inside an attribute',
    source: '<a href="{{unsubscribe_url}}">x</a>',
    data: contact,
    expected: '<a href="https://ex.com/u?t&#x3D;abc&amp;x&#x3D;1">x</a>',
  },
  {
    name: 'triple-stash and & are unescaped',
    source: '{{{evil}}}|{{& evil}}',
    data: evil,
    expected: '<script>alert("x")</script>|<script>alert("x")</script>',
  },
  {
    name: 'escape off (sms, subject)',
    source: '{{evil}} {{q}}',
    data: evil,
    escape: false,
    expected: '<script>alert("x")</script> it\'s "q" = `b`',
  },
  {
    name: 'adjacent numbers concatenate as text when unescaped',
    source: '{{a}}{{b}}|{{#if t}}{{a}}{{/if}}{{#if t}}{{b}}{{/if}}|{{t}}{{t}}',
    data: { a: 1, b: 2, t: true },
    escape: false,
    expected: '12|12|truetrue',
  },
  {
    name: 'falsy values',
    source: '{{zero}}|{{f}}|{{n}}|{{u}}|{{e}}',
    data: { zero: 0, f: false, n: null, e: '' },
    expected: '0|false|||',
  },
  {
    name: 'falsy values unescaped',
    source: '{{zero}}|{{f}}|{{n}}|{{u}}|{{e}}',
    data: { zero: 0, f: false, n: null, e: '' },
    escape: false,
    expected: '0|false|||',
  },
  {
    name: 'if / else / includeZero',
    source:
      '{{#if attributes.vip}}VIP{{else}}standard{{/if}} {{#if attributes.zero}}zero{{else}}no zero{{/if}} {{#if attributes.zero includeZero=true}}zero ok{{/if}}',
    data: contact,
    expected: 'VIP no zero zero ok',
  },
  {
    name: 'else if chain with sub-expressions',
    source: '{{#if (eq attributes.plan "silver")}}S{{else if (eq attributes.plan "gold")}}G{{else}}N{{/if}}',
    data: contact,
    expected: 'G',
  },
  {
    name: 'unless with else',
    source: '{{#unless attributes.empty}}empty{{else}}filled{{/unless}}|{{#unless attributes.vip}}x{{else}}vip{{/unless}}',
    data: contact,
    expected: 'empty|vip',
  },
  {
    name: 'each with @index @first @last',
    source: '{{#each attributes.children}}{{@index}}.{{name}}{{#if @first}}(first){{/if}}{{#if @last}}(last){{/if}};{{/each}}',
    data: contact,
    expected: '0.Léa(first);1.Tom(last);',
  },
  {
    name: 'each over an object with @key',
    source: '{{#each address}}{{@key}}={{this}};{{/each}}',
    data: contact,
    expected: 'city=Orléans;postal_code=45000;',
  },
  {
    name: 'nested each with ../, @../index and ../../',
    source: '{{#each groups}}{{#each items}}{{../name}}{{@../index}}{{@index}}{{this}}{{../../sep}}{{/each}}{{/each}}',
    data: groups,
    expected: 'A00x/A01y/B10z/',
  },
  {
    name: 'each else',
    source: '{{#each attributes.none}}x{{else}}nothing{{/each}}|{{#each attributes.empty}}x{{else}}empty{{/each}}',
    data: contact,
    expected: 'nothing|empty',
  },
  {
    name: 'with, ../ and else',
    source: '{{#with address}}{{city}} {{../first_name}}{{/with}}|{{#with attributes.none}}x{{else}}no{{/with}}',
    data: contact,
    expected: 'Orléans Jeanne|no',
  },
  {
    name: '../ inside #if inside #each skips the #if (Handlebars depth rule)',
    source: '{{#each attributes.children}}{{#if age}}{{../first_name}}{{/if}}{{/each}}',
    data: contact,
    expected: 'JeanneJeanne',
  },
  {
    name: 'block params',
    source:
      '{{#each attributes.children as |child i|}}{{i}}:{{child.name}} ({{child.age}}){{#unless @last}}, {{/unless}}{{/each}}|{{#with address as |a|}}{{a.city}}{{/with}}',
    data: contact,
    expected: '0:Léa (7), 1:Tom (4)|Orléans',
  },
  {
    name: 'nested block params',
    source: '{{#each groups as |g|}}{{#each g.items as |it|}}{{g.name}}-{{it}} {{/each}}{{/each}}',
    data: groups,
    expected: 'A-x A-y B-z ',
  },
  {
    name: 'lookup',
    source: '{{lookup address "city"}} {{lookup attributes.tags 1}} {{#each attributes.tags}}{{lookup ../labels this}} {{/each}}',
    data: { ...contact, labels: { a: 'Alpha', b: 'Beta' } },
    expected: 'Orléans b Alpha Beta ',
  },
  {
    name: 'sub-expressions',
    source:
      '{{#if (gt attributes.parties 3)}}many{{/if}} {{#if (and attributes.vip (not attributes.empty))}}yes{{/if}} {{upper (default nickname first_name)}}',
    data: contact,
    expected: 'many yes JEANNE',
  },
  {
    name: 'comparison and logic helpers',
    source: '{{gt 2 1}} {{gte 1 1}} {{lt "10" 9}} {{lte 3 "3"}} {{eq 1 "1"}} {{ne 1 "1"}} {{or 0 "" null}} {{and 1 "x"}} {{not 0}}',
    data: contact,
    expected: 'true true false true false true false true true',
  },
  {
    name: 'literals',
    source: '{{default null "n"}} {{default undefined "u"}} {{default "" "e"}} {{default 0 "z"}} {{default false "f"}} {{eq true true}} {{number -1234.5}}',
    data: contact,
    expected: `n u e 0 false true -1${NNBSP}234,5`,
  },
  {
    name: 'literal used as a path',
    source: '{{"first_name"}}|{{true}}|{{1}}',
    data: { first_name: 'Jeanne', 1: 'one' },
    expected: 'Jeanne||one',
  },
  {
    name: 'hash arguments',
    source: '{{money 1254.6 "EUR" decimals=0}} {{number 2 decimals=2}}',
    data: contact,
    expected: `1${NNBSP}255${NBSP}€ 2,00`,
  },
  {
    name: 'whitespace control',
    source: 'A  {{~first_name~}}  B\n{{~#if attributes.vip~}}\n  vip\n{{~/if~}}\n!',
    data: contact,
    expected: 'AJeanneBvip!',
  },
  {
    name: 'standalone lines',
    source: 'Liste :\n{{#each attributes.tags}}\n- {{this}}\n{{/each}}\n{{! a note }}\nFin',
    data: contact,
    expected: 'Liste :\n- a\n- b\nFin',
  },
  {
    name: 'comments',
    source: 'x{{! simple }}y{{!-- has }} inside --}}z',
    data: contact,
    expected: 'xyz',
  },
  {
    name: 'this and .',
    source: '{{#each attributes.tags}}{{.}}{{this}}{{/each}}|{{this.first_name}}|{{./last_name}}',
    data: contact,
    expected: "aabb|Jeanne|D&#x27;Arc",
  },
  {
    name: 'prototype access renders empty',
    source:
      '[{{constructor.name}}][{{__proto__}}][{{lookup this "constructor"}}][{{toString}}][{{first_name.constructor}}][{{#with __proto__}}x{{/with}}][{{lookup this "__proto__"}}][{{attributes.tags.length}}][{{first_name.length}}]',
    data: contact,
    expected: '[][][][][][][][2][6]',
  },
  {
    name: 'blocks on plain data (blockHelperMissing)',
    source:
      '{{#address}}{{city}}{{/address}}|{{#attributes.tags}}{{this}}{{/attributes.tags}}|{{#attributes.vip}}vip{{/attributes.vip}}|{{#nothing}}x{{else}}none{{/nothing}}|{{^nothing}}inverted{{/nothing}}|{{^attributes.empty}}x{{/attributes.empty}}',
    data: contact,
    // '' is neither false nor null for blockHelperMissing: it runs the (empty) main block.
    expected: 'Orléans|ab|vip|none|inverted|',
  },
  {
    name: 'default helper',
    source: '{{default first_name "cher client"}}, {{default nickname "cher client"}}, {{default attributes.empty "vide"}}',
    data: contact,
    expected: 'Jeanne, cher client, vide',
  },
  {
    name: 'money in fr',
    source: '{{money attributes.annual_revenue "EUR"}} / {{money 9.5}} / {{money attributes.annual_revenue "USD"}} / [{{money "abc"}}]',
    data: contact,
    expected: `1${NNBSP}254,00${NBSP}€ / 9,50${NBSP}€ / 1${NNBSP}254,00${NBSP}$US / []`,
  },
  {
    name: 'money in en',
    source: '{{money attributes.annual_revenue "EUR"}} / {{money 9.5}} / {{money attributes.annual_revenue "USD"}}',
    data: english,
    expected: '€1,254.00 / €9.50 / $1,254.00',
  },
  {
    name: 'date in fr',
    source: '{{date attributes.birthday}} | {{date attributes.birthday style="short"}} | {{date sent_at style="full" time="short"}} | [{{date "not a date"}}]',
    data: contact,
    expected: '14 mai 1990 | 14/05/1990 | samedi 1 mars 2025 à 19:30 | []',
  },
  {
    name: 'date in en (birthday keeps its calendar day in New York)',
    source: '{{date attributes.birthday}} | {{date attributes.birthday style="short"}} | {{date sent_at}}',
    data: english,
    expected: 'May 14, 1990 | 5/14/90 | March 1, 2025',
  },
  {
    name: 'date with time in en',
    source: '{{date sent_at style="long" time="short"}}',
    data: english,
  },
  {
    name: 'number and case helpers',
    source: '{{number attributes.annual_revenue}} {{upper first_name}} {{lower "ÉTÉ"}} {{capitalize "élodie"}} [{{capitalize ""}}]',
    data: contact,
    expected: `1${NNBSP}254 JEANNE été Élodie []`,
  },
  {
    name: 'unknown locale falls back to fr-FR',
    source: '{{money 3 "EUR"}}',
    data: { locale: 'not a locale' },
    expected: `3,00${NBSP}€`,
  },
  {
    name: 'content language with the recipient region and currency',
    source: '{{money 1254.5}} | {{date "2026-12-15"}} | {{date "2026-12-15" style="short"}} | {{money 3 "EUR"}} | [{{@locale}}{{@currency}}]',
    data: { locale: 'fr-CA', timezone: 'America/Toronto' },
    format: { locale: 'en-CA', currency: 'CAD' },
    expected: '$1,254.50 | December 15, 2026 | 2026-12-15 | €3.00 | []',
  },
  {
    name: 'French content for a Canadian recipient',
    source: '{{money 1254.5}} | {{date "2026-12-15"}} | {{upper "ça"}}',
    data: { locale: 'en-CA' },
    format: { locale: 'fr-CA', currency: 'CAD' },
    expected: `1${NBSP}254,50${NBSP}$ | 15 décembre 2026 | ÇA`,
  },
  {
    name: 'an invalid @currency falls back to EUR',
    source: '{{money 2}}',
    data: { locale: 'fr' },
    format: { locale: 'fr', currency: 'euros' },
    expected: `2,00${NBSP}€`,
  },
];

/**
 * The budget, worked out by hand (budget.ts): a body that starts costs 1 + its statements, a helper call 1;
 * characters are what each body writes plus the strings helpers return. Both renderers must count exactly this,
 * and refuse (`refused`) exactly the same inputs with the same error.
 */
export interface BudgetFixture {
  name: string;
  source: string;
  data: MergeData;
  escape?: boolean;
  limits?: RenderLimits;
  usage?: { steps: number; characters: number };
  refused?: 'steps' | 'characters';
}

const loose: RenderLimits = { steps: 1_000, characters: 1_000 };
const nested = (n: number) => '{{#each @root}}'.repeat(n) + 'x' + '{{/each}}'.repeat(n);

export const budgetFixtures: BudgetFixture[] = [
  {
    // top 1+3; each 1; three iterations of 1+1. Written: a, 1, 2, 3, the block's "123", b.
    name: 'a loop', source: 'a{{#each xs}}{{this}}{{/each}}b', data: { xs: [1, 2, 3] }, limits: loose,
    usage: { steps: 11, characters: 8 },
  },
  { name: 'a loop at its exact step limit', source: 'a{{#each xs}}{{this}}{{/each}}b', data: { xs: [1, 2, 3] }, limits: { steps: 11, characters: 8 }, usage: { steps: 11, characters: 8 } },
  { name: 'one step over', source: 'a{{#each xs}}{{this}}{{/each}}b', data: { xs: [1, 2, 3] }, limits: { steps: 10, characters: 100 }, refused: 'steps' },
  { name: 'one character over', source: 'a{{#each xs}}{{this}}{{/each}}b', data: { xs: [1, 2, 3] }, limits: { steps: 100, characters: 7 }, refused: 'characters' },
  {
    // top 1+1; blockHelperMissing 1, which calls each 1 (bodies already counted once); two iterations of 1+1.
    name: 'a block on an array goes through each once', source: '{{#xs}}{{this}}{{/xs}}', data: { xs: [1, 2] }, limits: loose,
    usage: { steps: 8, characters: 4 },
  },
  {
    // top 1+1; unless 1, which calls if 1; the else body of if is unless's body: 1+1; upper 1.
    // Characters: upper's "AB", its write, the block's "AB".
    name: 'unless calls if', source: '{{#unless f}}{{upper "ab"}}{{/unless}}', data: { f: false }, limits: loose,
    usage: { steps: 7, characters: 6 },
  },
  {
    // top 1+1; gt 1 (returns a boolean: no characters); if 1; its body 1+1. Written: x, then the block's x.
    name: 'a sub-expression and an empty else', source: '{{#if (gt n 1)}}x{{/if}}', data: { n: 2 }, limits: loose,
    usage: { steps: 6, characters: 2 },
  },
  {
    // top 1+1; each 1; the inverse (the else body: 1+1) runs once for the empty list.
    name: 'each else', source: '{{#each xs}}{{this}}{{else}}none{{/each}}', data: { xs: [] }, limits: loose,
    usage: { steps: 5, characters: 8 },
  },
  {
    name: 'a helper result counts before it is written', source: '{{#if (upper s)}}y{{/if}}', data: { s: 'x'.repeat(50) },
    limits: { steps: 100, characters: 51 }, refused: 'characters',
  },
  { name: 'empty values still cost steps', source: '{{#each xs}}{{a}}{{b}}{{c}}{{/each}}', data: { xs: Array(300).fill({}) }, limits: loose, refused: 'steps' },
  // The reported attacks, with the real limits: eight nested loops over the merge data killed the process, seven stalled it.
  { name: 'eight nested {{#each @root}} (193 characters)', source: nested(8), data: contact, escape: false, refused: 'steps' },
  { name: 'seven nested {{#each @root}}', source: nested(7), data: contact, escape: false, refused: 'steps' },
  { name: 'a value written over and over', source: '{{s}}'.repeat(21), data: { s: 'x'.repeat(100_000) }, refused: 'characters' },
  { name: 'an empty loop body over a long list', source: '{{#each xs}}{{/each}}', data: { xs: Array(100_000).fill(0) }, refused: 'steps' },
];
