/**
 * Templates keep text as data (analysis/html.ts): a value is escaped, a value that looks like a placeholder stays
 * text, only SafeHtml built by code passes as markup, and template and values must match exactly.
 */
import { fillTemplate, HtmlCell, htmlRow, joinHtml, SafeHtml } from '@rnnlab/analysis';

test('values are escaped and inserted once: a value holding "{{…}}" or markup stays text', () => {
  const hostile = '<script>alert(1)</script> {{other}} & "quotes" \'too\'';
  const out = fillTemplate('<p>{{a}}</p><p>{{other}}</p>', { a: hostile, other: 'x' });
  expect(out).toBe(
    '<p>&lt;script&gt;alert(1)&lt;/script&gt; {{other}} &amp; &quot;quotes&quot; &#39;too&#39;</p><p>x</p>',
  );
});

test('SafeHtml passes as markup, numbers as text; a missing or an unused value is an error', () => {
  expect(fillTemplate('{{m}} {{n}}', { m: new SafeHtml('<b>b</b>'), n: 3 })).toBe('<b>b</b> 3');
  expect(() => fillTemplate('{{a}} {{b}}', { a: 1 })).toThrow(/placeholder \{\{b\}\} has no value/);
  expect(() => fillTemplate('{{a}}', { a: 1, b: 2 })).toThrow(/no placeholder for b/);
});

test('rows escape their text cells and keep whole cells as given', () => {
  const row = htmlRow(['a<b', 2, new SafeHtml('<i>i</i>'), new HtmlCell('<th class="x">h</th>')]);
  expect(row.html).toBe('<tr><td>a&lt;b</td><td>2</td><td><i>i</i></td><th class="x">h</th></tr>');
  expect(joinHtml([row, new SafeHtml('<tr></tr>')], '\n').html).toBe(`${row.html}\n<tr></tr>`);
});
