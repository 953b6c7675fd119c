import { describe, expect, it } from 'vitest';
import { Actions, Button, Field, Layout, LinkButton, Notice, Panel, Section } from './index.js';

const render = async (node: unknown) => String(await node);
const brand = { name: 'Arts de la Table', color: '#ffcc00' };

describe('the page layout', () => {
  it('writes a complete page: doctype, language, no indexing, viewport, title, brand band, heading, inline style', async () => {
    const page = await render(<Layout lang="en" brand={brand} title="Done"><p>Body</p></Layout>);
    expect(page).toMatch(/^<!doctype html><html lang="en"><head><meta charset="utf-8"\/>/);
    expect(page).toContain('<meta name="robots" content="noindex"/>');
    expect(page).toContain('<meta name="viewport" content="width=device-width, initial-scale=1"/>');
    expect(page).toContain('<title>Done · Arts de la Table</title>');
    // The brand colour itself for the band (black text on yellow), darkened for links and buttons on white.
    expect(page).toMatch(/<style>:root\{--brand:#ffcc00;--on-brand:#000000;--accent:#8f7200;--on-accent:#ffffff;--tint:#[0-9a-f]{6};[^<]+<\/style>/);
    expect(page).toContain('<body><header class="masthead"><p>Arts de la Table</p></header><main><h1>Done</h1><p>Body</p></main></body>');
  });

  it('escapes text and attributes, so a name like <script> reads as text', async () => {
    const name = '<script>alert(1)</script>';
    const page = await render(
      <Layout lang="fr" brand={{ name, color: '#000000' }} title={name}>
        <Field id="n" label={name}><input id="n" name="n" value={`"${name}`} /></Field>
      </Layout>,
    );
    expect(page).not.toContain('<script>');
    expect(page).toContain('<title>&lt;script&gt;alert(1)&lt;/script&gt; · &lt;script&gt;alert(1)&lt;/script&gt;</title>');
    expect(page).toContain('<header class="masthead"><p>&lt;script&gt;alert(1)&lt;/script&gt;</p></header>');
    expect(page).toContain('value="&quot;&lt;script&gt;alert(1)&lt;/script&gt;"');
  });
});

describe('components', () => {
  it('ties a label to its control by id', async () => {
    expect(await render(<Field id="first_name" label="Prénom"><input id="first_name" name="first_name" /></Field>)).toBe(
      '<div class="field"><label for="first_name">Prénom</label><input id="first_name" name="first_name"/></div>',
    );
  });

  it('makes submit buttons primary by default, other variants on request, with a name and value only if given', async () => {
    expect(await render(<Button>Save</Button>)).toBe('<button type="submit" class="button primary">Save</button>');
    expect(await render(<Button variant="danger" name="action" value="all">Stop</Button>)).toBe(
      '<button type="submit" class="button danger" name="action" value="all">Stop</button>',
    );
    expect(await render(<LinkButton href="?step=erase" variant="danger">Erase</LinkButton>)).toBe('<a class="button danger" href="?step=erase">Erase</a>');
    expect(await render(<LinkButton href="x">Back</LinkButton>)).toBe('<a class="button secondary" href="x">Back</a>');
    expect(await render(<Actions><Button>A</Button></Actions>)).toBe('<div class="actions"><button type="submit" class="button primary">A</button></div>');
    expect(await render(<Actions even>x</Actions>)).toBe('<div class="actions even">x</div>');
  });

  it('announces outcomes as a status, not information or warnings', async () => {
    expect(await render(<Notice>Saved.</Notice>)).toBe('<p role="status" class="notice success">Saved.</p>');
    expect(await render(<Notice tone="info">Paused.</Notice>)).toBe('<p class="notice info">Paused.</p>');
    expect(await render(<Notice tone="warning">Careful.</Notice>)).toBe('<p class="notice warning">Careful.</p>');
  });

  it('groups controls under a legend, side by side on request, and sets a panel apart under its heading', async () => {
    expect(await render(<Section legend="You">x</Section>)).toBe('<fieldset><legend>You</legend><div class="fields">x</div></fieldset>');
    expect(await render(<Section legend="You" columns>x</Section>)).toBe('<fieldset><legend>You</legend><div class="fields columns">x</div></fieldset>');
    expect(await render(<Panel title="Data"><p>y</p></Panel>)).toBe('<section class="panel"><h2>Data</h2><p>y</p></section>');
  });
});
