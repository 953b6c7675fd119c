// The customer file: contacts and their addresses, typed attributes, events (purchases…), the CSV import.
export { addressOf, addressSql, postalAddressBlock, type AddressedContact, type ContactRecord } from './addresses.js';
export { attributeIndexExpression, DATE_SHAPE, readMonthDay, readNumber } from './attribute-index.js';
export { parseDate, type AttributeDefinition, type AttributeType } from './attribute-values.js';
export { CONTACT_FIELDS, defaultCountry, normaliseEmail, normaliseLocale, normalisePhone } from './contact-fields.js';
export { prepareContact, saveContacts, type ContactInput } from './contact-records.js';
export { contactsRouter } from './contacts.handlers.js';
export * as contactRoutes from './contacts.routes.js';
export { declareAttribute } from './attributes.service.js';
export { listAttributeDefinitions } from './attributes.repository.js';
export { CSV_LIMITS, openCsv, type CsvFile, type CsvRow } from './csv-reader.js';
export {
  findContactById, findContactsByPhone, loadCatalogue, PURCHASE_EVENT, recordEvents, recordSmsReply, setNameAndLanguage,
  type EventInput,
} from './contacts.service.js';
export { contactColumns, findContactIdsByRef, findContactsForMerge } from './contacts.repository.js';
export { normaliseHeader } from './import-columns.js';
