// What each CSV column fills: the import's mapping (`map[Header]=target`) first, then the column's own name (in
// English or a common French one), then a declared attribute's name or one of its aliases. Anything else is ignored,
// and said so in the report.
import { CHANNEL_NAMES } from '../channels/index.js';
import { InvalidInputError, type FieldProblem } from '../errors.js';
import type { AttributeDefinition } from './attribute-values.js';
import { ADDRESS_FIELDS, type Address } from './contact-fields.js';

// Headers come from files: the lookup tables are Maps, so a header such as "constructor" finds nothing.
/** Common French and English header names for our fields, after headerKey. */
const ALIASES = new Map<string, string>(Object.entries({
  e_mail: 'email', mail: 'email', courriel: 'email', adresse_email: 'email', adresse_mail: 'email', adresse_courriel: 'email',
  telephone: 'phone', tel: 'phone', mobile: 'phone', portable: 'phone', phone_number: 'phone', numero_de_telephone: 'phone',
  prenom: 'first_name', firstname: 'first_name', nom: 'last_name', lastname: 'last_name', nom_de_famille: 'last_name',
  numero_client: 'external_id', client_number: 'external_id', customer_id: 'external_id', client_id: 'external_id', id_client: 'external_id',
  langue: 'locale', language: 'locale', fuseau_horaire: 'timezone', time_zone: 'timezone',
  adresse: 'address_line1', address: 'address_line1', line1: 'address_line1', address1: 'address_line1',
  line2: 'address_line2', address2: 'address_line2', complement_adresse: 'address_line2', complement_d_adresse: 'address_line2',
  line3: 'address_line3', address3: 'address_line3', line4: 'address_line4', address4: 'address_line4', lieu_dit: 'address_line4', boite_postale: 'address_line4',
  code_postal: 'postal_code', cp: 'postal_code', zip: 'postal_code', postcode: 'postal_code',
  ville: 'city', province: 'region', state: 'region', pays: 'country',
}));

const FIELD_COLUMNS = ['email', 'phone', 'external_id', 'first_name', 'last_name', 'locale', 'timezone'] as const;
export type FieldColumn = (typeof FIELD_COLUMNS)[number];
const ADDRESS_COLUMNS = new Map<string, keyof Address>([
  ['address_line1', 'line1'], ['address_line2', 'line2'], ['address_line3', 'line3'], ['address_line4', 'line4'], ['postal_code', 'postal_code'], ['city', 'city'], ['region', 'region'], ['country', 'country'],
]);
/** A column per channel for the topics a row subscribes to: email_topics, sms_topics, postal_topics… */
const TOPIC_COLUMNS = new Map<string, string>(CHANNEL_NAMES.map((channel) => [`${channel}_topics`, channel]));

export type ColumnRole =
  | { kind: 'field'; name: FieldColumn }
  | { kind: 'address'; name: keyof Address }
  | { kind: 'topics'; channel: string }
  | { kind: 'attribute'; name: string }
  | { kind: 'ignored' };

/** A header without case, accents or punctuation: "Chiffre d’affaires" → chiffre_d_affaires. */
export function headerKey(raw: string): string {
  return raw.normalize('NFD').replace(/[\u0300-\u036f]/g, '').trim().toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '');
}

/** The field name a header stands for (courriel → email), or its key. */
export function normaliseHeader(raw: string): string {
  const key = headerKey(raw);
  return ALIASES.get(key) ?? key;
}

/** The contact column a header already names, if any: an attribute alias may not take it. */
export function contactColumnOf(header: string): string | undefined {
  const role = builtInRole(normaliseHeader(header));
  return role ? targetOf(role) ?? undefined : undefined;
}

function builtInRole(name: string): ColumnRole | undefined {
  if ((FIELD_COLUMNS as readonly string[]).includes(name)) return { kind: 'field', name: name as FieldColumn };
  const address = ADDRESS_COLUMNS.get(name);
  if (address) return { kind: 'address', name: address };
  const channel = TOPIC_COLUMNS.get(name);
  if (channel) return { kind: 'topics', channel };
  return undefined;
}

/** A column's target as reports and mappings write it: email, address.city, email_topics, attributes.x; null if ignored. */
export function targetOf(role: ColumnRole): string | null {
  switch (role.kind) {
    case 'field': return role.name;
    case 'address': return `address.${role.name}`;
    case 'topics': return `${role.channel}_topics`;
    case 'attribute': return `attributes.${role.name}`;
    case 'ignored': return null;
  }
}

/** What `map[Header]=target` may say: a target as reports write it, a header name we know, or `ignore`. */
function parseTarget(target: string, attributes: Map<string, AttributeDefinition>): ColumnRole | string {
  const t = target.trim();
  if (t === '' || t === 'ignore') return { kind: 'ignored' };
  const attribute = /^attributes\.(.+)$/.exec(t)?.[1];
  if (attribute !== undefined) {
    return attributes.has(attribute) ? { kind: 'attribute', name: attribute } : `attribute "${attribute}" is not declared (PUT /v1/attributes/${attribute})`;
  }
  const part = /^address\.(.+)$/.exec(t)?.[1];
  if (part !== undefined) {
    return (ADDRESS_FIELDS as readonly string[]).includes(part) ? { kind: 'address', name: part as keyof Address } : `"${t}" is not an address part (${ADDRESS_FIELDS.map((f) => `address.${f}`).join(', ')})`;
  }
  const role = roleOf(t, attributes, new Map());
  if (role.kind !== 'ignored') return role;
  return `"${t}" is not a contact field (email, phone, external_id, first_name, last_name, locale, timezone), an address part ` +
    '(address.city…), a topic list (email_topics…), a declared attribute (attributes.<name>) or ignore';
}

function roleOf(header: string, attributes: Map<string, AttributeDefinition>, aliases: Map<string, string>): ColumnRole {
  const name = normaliseHeader(header);
  const builtIn = builtInRole(name);
  if (builtIn) return builtIn;
  const attribute = name.startsWith('attributes_') ? name.slice(11) : name;
  if (attributes.has(attribute)) return { kind: 'attribute', name: attribute };
  const aliased = aliases.get(headerKey(header));
  return aliased ? { kind: 'attribute', name: aliased } : { kind: 'ignored' };
}

export type ColumnMapping = Record<string, string>;

/** Checks a mapping's targets before the file is read: a bad one is a 422 naming `map[Header]`. */
export function checkMapping(mapping: ColumnMapping, attributes: Map<string, AttributeDefinition>): Map<string, { header: string; role: ColumnRole }> {
  const problems: FieldProblem[] = [];
  const byKey = new Map<string, { header: string; role: ColumnRole }>();
  for (const [header, target] of Object.entries(mapping)) {
    const role = parseTarget(target, attributes);
    if (typeof role === 'string') problems.push({ field: `map[${header}]`, message: role });
    else byKey.set(headerKey(header), { header, role });
  }
  if (problems.length) throw new InvalidInputError('Invalid column mapping', problems);
  return byKey;
}

export interface Columns {
  roles: ColumnRole[];
  report: Array<{ header: string; target: string | null }>;
  ignored: string[];
}

/** Each column's role, given the file's header; a mapping naming a column the file lacks is a 422. */
export function resolveColumns(header: string[], attributes: Map<string, AttributeDefinition>, mapped: ReturnType<typeof checkMapping>): Columns {
  const aliases = new Map<string, string>();
  for (const def of attributes.values()) for (const alias of def.aliases ?? []) aliases.set(headerKey(alias), def.name);
  const keys = header.map(headerKey);
  const missing = [...mapped.entries()].filter(([key]) => !keys.includes(key));
  if (missing.length) {
    throw new InvalidInputError('The column mapping names columns the file does not have', missing.map(([, m]) => ({
      field: `map[${m.header}]`, message: `no column "${m.header}" in the file (its columns: ${header.join(', ')})`,
    })));
  }
  const roles = header.map((h, i) => mapped.get(keys[i])?.role ?? roleOf(h, attributes, aliases));
  return {
    roles,
    report: header.map((h, i) => ({ header: h, target: targetOf(roles[i]) })),
    ignored: header.filter((_, i) => roles[i].kind === 'ignored'),
  };
}
