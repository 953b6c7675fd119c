// What a template is rendered against before it is saved: a contact with every field and every declared
// attribute filled, with values longer than usual, so that a template that cannot render, or that would blow the
// rendering budget for a real contact, is refused at save time rather than at send time.
import type { AttributeDefinition } from '../contacts/index.js';
import type { MergeData } from './render/types.js';

const long = (word: string, length: number) => word.repeat(Math.ceil(length / word.length)).slice(0, length);

function sampleAttribute(def: AttributeDefinition): unknown {
  switch (def.type) {
    case 'text':
      return long('Échantillon ', 200);
    case 'number':
      return 1_234_567.89;
    case 'boolean':
      return true;
    case 'date':
      return '2026-12-15';
    case 'enum':
      return [...(def.values ?? [])].sort((a, b) => b.length - a.length)[0] ?? long('valeur ', 50);
  }
}

export function sampleMergeData(attributes: readonly AttributeDefinition[], locale: string): MergeData {
  const country = locale.split('-')[1] ?? (locale.startsWith('en') ? 'CA' : 'FR');
  return {
    id: 9_007_199_254_740_991,
    external_id: long('C-000042-', 200),
    email: `${long('marie-helene.', 60)}@example.com`,
    phone: '+33612345678',
    first_name: long('Marie-Hélène ', 200),
    last_name: long('de La Tour d’Auvergne ', 200),
    locale,
    timezone: 'America/Toronto',
    address: {
      line1: long('1234 boulevard Saint-Germain ', 200),
      line2: long('Bâtiment B, escalier 3 ', 200),
      postal_code: 'H2X 1Y4',
      city: long('Saint-Rémy-de-Provence ', 100),
      region: long('Provence-Alpes-Côte d’Azur ', 100),
      country,
    },
    attributes: Object.fromEntries(attributes.map((def) => [def.name, sampleAttribute(def)])),
    created_at: '2024-01-31T23:59:59.999Z',
    updated_at: '2026-12-15T12:00:00.000Z',
    unsubscribe_url: `https://mail.example.com/u/${long('x', 220)}`,
    preferences_url: `https://mail.example.com/p/${long('x', 220)}`,
    brand_name: long('Maison Lumière ', 100),
    campaign_name: long('Lettre de décembre ', 200),
  };
}
