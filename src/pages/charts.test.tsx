import { describe, expect, it } from 'vitest';
import { BarChart, CHART_COLORS, FunnelChart, LineChart, MAX_BARS, MAX_POINTS, niceStep, xLabelIndexes } from './charts.js';

const render = async (node: unknown) => String(await node);
const attrs = (svg: string, tag: string, name: string) => [...svg.matchAll(new RegExp(`<${tag}\\b[^>]*\\b${name}="([^"]*)"`, 'g'))].map((m) => m[1]);
const texts = (svg: string) => [...svg.matchAll(/<text\b[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
const headers = { label: 'Step', value: 'Count', note: 'Rate' };
const NNBSP = '\u202f';

describe('the bar chart', () => {
  it('draws each bar as long as its value is to the largest, and prints each value after its bar', async () => {
    const html = await render(
      <BarChart id="b" lang="en" title="Sent" bars={[{ label: 'Ten', value: 10 }, { label: 'Five', value: 5 }, { label: 'None', value: 0 }]} headers={headers} />,
    );
    // Rows of 48 from y=4: the label, then the bar 20 below the row's top, 230 wide for the largest value.
    expect(html).toContain('viewBox="0 0 360 148"');
    expect(attrs(html, 'rect', 'width')).toEqual(['230', '115', '0']);
    expect(attrs(html, 'rect', 'y')).toEqual(['24', '72', '120']);
    expect(attrs(html, 'text', 'x')).toEqual(['0', '238', '0', '123', '0', '8']);
    expect(texts(html)).toEqual(['Ten', '10', 'Five', '5', 'None', '0']);
  });

  it('is an image named by its title and described with every number, with the numbers in a table under it', async () => {
    const html = await render(<BarChart id="b" lang="en" title="Sent" description="Messages." bars={[{ label: 'A', value: 3, note: '75%' }]} headers={headers} />);
    expect(html).toMatch(/^<figure class="chart"><svg id="b" role="img" aria-label="Sent" aria-describedby="b-desc" viewBox="0 0 360 52"/);
    expect(html).toContain('<title>Sent</title><desc id="b-desc">Messages. A: 3 (75%)</desc>');
    expect(html).toContain('<details><summary>Data table<span class="visually-hidden"> — Sent</span></summary>');
    expect(html).toContain('<thead><tr><th scope="col">Step</th><th scope="col">Count</th><th scope="col">Rate</th></tr></thead><tbody><tr><th scope="row">A</th><td>3</td><td>75%</td></tr></tbody>');
  });

  it('keeps a small value visible (2 units at least) and writes numbers in the page’s language', async () => {
    const bars = [{ label: 'Big', value: 1_234_567 }, { label: 'Tiny', value: 1 }];
    const fr = await render(<BarChart id="b" lang="fr" title="t" bars={bars} headers={headers} />);
    expect(attrs(fr, 'rect', 'width')).toEqual(['230', '2']);
    expect(texts(fr)).toContain(`1${NNBSP}234${NNBSP}567`);
    expect(fr).toContain('<desc id="b-desc">Big\u00a0: 1\u202f234\u202f567 · Tiny\u00a0: 1</desc>');
    const en = await render(<BarChart id="b" lang="en" title="t" bars={bars} headers={headers} />);
    expect(texts(en)).toContain('1,234,567');
  });

  it('says there is no data yet, with no NaN, when every value is 0 or there are no bars; draws at most MAX_BARS', async () => {
    for (const bars of [[], [{ label: 'A', value: 0 }], [{ label: 'A', value: Number.NaN }, { label: 'B', value: -3 }]]) {
      expect(await render(<BarChart id="b" lang="fr" title="t" bars={bars} headers={headers} />)).toBe('<p class="chart-empty">Pas encore de données.</p>');
    }
    expect(await render(<BarChart id="b" lang="en" title="t" bars={[]} headers={headers} />)).toBe('<p class="chart-empty">No data yet.</p>');
    const many = Array.from({ length: MAX_BARS + 10 }, (_, i) => ({ label: `L${i}`, value: i + 1 }));
    expect(attrs(await render(<BarChart id="b" lang="en" title="t" bars={many} headers={headers} />), 'rect', 'width')).toHaveLength(MAX_BARS);
  });
});

describe('the funnel', () => {
  it('prints each step’s count and its rate as a percentage in the page’s language', async () => {
    const steps = [{ label: 'Sent', value: 1000 }, { label: 'Opened', value: 356, share: 0.356 }];
    const fr = await render(<FunnelChart id="f" lang="fr" title="Entonnoir" steps={steps} headers={{ step: 'Étape', count: 'Messages', rate: 'Taux' }} />);
    expect(attrs(fr, 'rect', 'width')).toEqual(['230', '81.9']);
    expect(texts(fr)).toEqual(['Sent', `1${NNBSP}000`, 'Opened', `356 · 35,6\u00a0%`]);
    const en = await render(<FunnelChart id="f" lang="en" title="Funnel" steps={steps} headers={{ step: 'Step', count: 'Messages', rate: 'Rate' }} />);
    expect(texts(en)).toEqual(['Sent', '1,000', 'Opened', '356 · 35.6%']);
    expect(en).toContain('<tr><th scope="row">Opened</th><td>356</td><td>35.6%</td></tr>');
  });
});

describe('the line chart', () => {
  const series = [
    { name: 'Opens', values: [0, 4, 2], color: CHART_COLORS.accent },
    { name: 'Clicks', values: [0, 1, 0], color: CHART_COLORS.muted, dashed: true },
  ];

  it('spaces the points evenly from x=40 to 388 and scales values from 0 (y=172) to the top tick (y=12)', async () => {
    const html = await render(<LineChart id="s" lang="en" title="Series" xLabels={['a', 'b', 'c']} series={series} xHeading="Time" />);
    // The largest value is 4: ticks 0 to 4 by 1, 40 units apart.
    expect(html).toContain('viewBox="0 0 400 200"');
    expect(attrs(html, 'polyline', 'points')).toEqual(['40,172 214,12 388,92', '40,172 214,132 388,172']);
    expect(attrs(html, 'polyline', 'stroke-dasharray')).toEqual(['6 4']);
    expect(attrs(html, 'line', 'y1').slice(0, 5)).toEqual(['172', '132', '92', '52', '12']);
    expect(texts(html)).toEqual(['0', '1', '2', '3', '4', 'a', 'b', 'c']);
    expect(attrs(html, 'text', 'text-anchor').slice(5)).toEqual(['start', 'middle', 'end']);
    // Under it, the legend: each series' line (solid, dashed) and its total.
    const legend = /<ul class="chart-legend">(.*?)<\/ul>/.exec(html)![1];
    expect([...legend.matchAll(/<\/svg>([^<]*)<\/li>/g)].map((m) => m[1])).toEqual(['Opens: 6', 'Clicks: 1']);
    expect(attrs(legend, 'line', 'stroke-dasharray')).toEqual(['6 4']);
    expect(legend).toContain('aria-hidden="true"');
    expect(html).toContain('<desc id="s-desc">Opens: 6 · Clicks: 1</desc>');
    expect(html).toContain('<tr><th scope="row">b</th><td>4</td><td>1</td></tr>');
  });

  it('draws a single point as a dot in the middle', async () => {
    const html = await render(<LineChart id="s" lang="en" title="t" xLabels={['a']} series={[{ name: 'Opens', values: [3], color: '#000' }]} xHeading="Time" />);
    expect(html).toContain('<circle cx="214" cy="12" r="4" style="fill:#000"></circle>');
    expect(html).not.toContain('<polyline');
  });

  it('says there is no data yet, with no NaN, without points or with only zeros; draws at most MAX_POINTS', async () => {
    for (const [labels, values] of [[[], []], [['a', 'b'], [0, 0]], [['a'], [Number.NaN]]] as Array<[string[], number[]]>) {
      const html = await render(<LineChart id="s" lang="fr" title="t" xLabels={labels} series={[{ name: 'x', values, color: '#000' }]} xHeading="h" />);
      expect(html).toBe('<p class="chart-empty">Pas encore de données.</p>');
    }
    const n = MAX_POINTS + 20;
    const html = await render(<LineChart id="s" lang="en" title="t" xLabels={Array.from({ length: n }, (_, i) => `p${i}`)} series={[{ name: 'x', values: Array(n).fill(1), color: '#000' }]} xHeading="h" />);
    expect(attrs(html, 'polyline', 'points')[0].split(' ')).toHaveLength(MAX_POINTS);
    expect(html.match(/<tr><th scope="row">/g)).toHaveLength(MAX_POINTS);
  });

  it('picks round ticks and a few evenly spaced labels', () => {
    expect([1, 4, 7, 10, 100, 1234, 0].map(niceStep)).toEqual([1, 1, 2, 5, 50, 500, 1]);
    expect(xLabelIndexes(3, 5)).toEqual([0, 1, 2]);
    expect(xLabelIndexes(10, 5)).toEqual([0, 3, 6, 9]);
    expect(xLabelIndexes(48, 5)).toEqual([0, 12, 24, 36]);
  });
});
