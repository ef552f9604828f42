/**
 * HTML from templates. Text from files and records is data: it is escaped before it reaches HTML. Prose and markup
 * live in template files (`{{name}}` placeholders); code supplies values, and only fragments it built itself from
 * escaped parts (table rows, inline SVG from the plotting grammar) pass through unescaped, marked as SafeHtml.
 */
export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Markup that code assembled from escaped parts; a template inserts it as it is. */
export class SafeHtml {
  constructor(readonly html: string) {}
}

/** Join fragments into one. */
export const joinHtml = (parts: readonly SafeHtml[], separator = ''): SafeHtml =>
  new SafeHtml(parts.map((p) => p.html).join(separator));

/** A whole table cell (its own tag and attributes, e.g. a coloured verdict or a row's header cell). */
export class HtmlCell extends SafeHtml {}

/** One table row: each cell is text (escaped), SafeHtml content, or a whole HtmlCell. */
export function htmlRow(cells: ReadonlyArray<string | number | SafeHtml>, tag: 'td' | 'th' = 'td'): SafeHtml {
  const cell = (c: string | number | SafeHtml) =>
    c instanceof HtmlCell ? c.html : `<${tag}>${c instanceof SafeHtml ? c.html : escapeHtml(String(c))}</${tag}>`;
  return new SafeHtml(`<tr>${cells.map(cell).join('')}</tr>`);
}

/**
 * Fill `{{name}}` placeholders: text and numbers are escaped, SafeHtml is inserted as is. A placeholder without a
 * value, or a value without a placeholder, is an error (template and code are kept in step, never silently blank).
 * One pass over the template, so a value that itself contains "{{…}}" stays text.
 */
export function fillTemplate(template: string, values: Readonly<Record<string, string | number | SafeHtml>>): string {
  const used = new Set<string>();
  const out = template.replace(/\{\{([A-Za-z][\w-]*)\}\}/g, (_, name: string) => {
    if (!(name in values)) throw new Error(`template placeholder {{${name}}} has no value`);
    used.add(name);
    const v = values[name];
    return v instanceof SafeHtml ? v.html : escapeHtml(String(v));
  });
  const unused = Object.keys(values).filter((k) => !used.has(k));
  if (unused.length) throw new Error(`template has no placeholder for ${unused.join(', ')}`);
  return out;
}
