import { describe, expect, it } from 'vitest';
import { Button, Field, Layout, Notice, Section } from './index.js';

const render = async (node: unknown) => String(await node);

describe('the page layout', () => {
  it('writes a complete page: doctype, language, no indexing, viewport, title as heading, inline style', async () => {
    const page = await render(<Layout lang="en" title="Done"><p>Body</p></Layout>);
    expect(page).toMatch(/^<!doctype html><html lang="en"><head><meta charset="utf-8"\/>/);
    expect(page).toContain('<meta name="robots" content="noindex"/>');
    expect(page).toContain('<meta name="viewport" content="width=device-width, initial-scale=1"/>');
    expect(page).toContain('<title>Done</title>');
    expect(page).toMatch(/<style>body\{[^<]+<\/style>/);
    expect(page).toContain('<main><h1>Done</h1><p>Body</p></main>');
  });

  it('escapes text and attributes, so a name like <script> reads as text', async () => {
    const name = '<script>alert(1)</script>';
    const page = await render(
      <Layout lang="fr" title={name}>
        <Field id="n" label={name}><input id="n" name="n" value={`"${name}`} /></Field>
      </Layout>,
    );
    expect(page).not.toContain('<script>');
    expect(page).toContain('<title>&lt;script&gt;alert(1)&lt;/script&gt;</title>');
    expect(page).toContain('value="&quot;&lt;script&gt;alert(1)&lt;/script&gt;"');
  });
});

describe('components', () => {
  it('ties a label to its control by id', async () => {
    expect(await render(<Field id="first_name" label="Prénom"><input id="first_name" name="first_name" /></Field>)).toBe(
      '<div class="field"><label for="first_name">Prénom</label><input id="first_name" name="first_name"/></div>',
    );
  });

  it('makes submit buttons primary by default and secondary on request, with a name and value only if given', async () => {
    expect(await render(<Button>Save</Button>)).toBe('<button type="submit" class="button primary">Save</button>');
    expect(await render(<Button variant="secondary" name="action" value="erase">Erase</Button>)).toBe(
      '<button type="submit" class="button secondary" name="action" value="erase">Erase</button>',
    );
  });

  it('announces notices as a status and groups controls under a legend', async () => {
    expect(await render(<Notice>Saved.</Notice>)).toBe('<p role="status" class="notice">Saved.</p>');
    expect(await render(<Section legend="You">x</Section>)).toBe('<fieldset><legend>You</legend>x</fieldset>');
  });
});
