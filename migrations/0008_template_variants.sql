-- A template speaks one language (its default content) and may carry variants in others; a campaign sends each
-- contact the variant for their locale (fr-CA, then fr, then the default).

-- Existing templates: the language their MJML declares, else French (the platform's default).
alter table templates add column locale text not null default 'fr';
update templates set locale = lower(substring(mjml from '<mjml[^>]*\slang="(fr|en)(?:-[A-Za-z]{2})?"')) where mjml ~ '<mjml[^>]*\slang="(fr|en)';

-- Replaced as a whole with each new version of the template.
create table template_variants (
  template_id bigint not null references templates (id) on delete cascade,
  locale text not null,
  subject text,
  preheader text,
  mjml text,
  text text,
  -- MJML compiled once per version, like templates.compiled_html
  compiled_html text,
  primary key (template_id, locale)
);
