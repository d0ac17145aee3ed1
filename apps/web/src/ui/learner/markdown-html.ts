/**
 * A small, safe Markdown-to-HTML renderer for lesson text. The source is never trusted as HTML: every
 * piece of text is escaped, and link and image addresses must be http(s), site-relative, `#`, mailto:
 * or tel: — so "<script>" shows as text and `javascript:` links become plain text. Supports headings
 * (shifted one level down: the page's h1 is the lesson title), paragraphs, bullet and numbered lists,
 * block quotes, tables, fenced code, rules, **bold**, *italic*, `code`, [links](url) and ![images](src).
 *
 * It builds one HTML string that the browser parses natively (Lit's unsafeHTML): a long lesson used to
 * be thousands of small template instances, one long task on a cheap phone. No DOM here, so it is
 * unit-tested in Node (apps/web/test).
 */

const SAFE_URL = /^(https?:\/\/|\/(?!\/)|#|mailto:|tel:)/i;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text and attribute values: every character that could open markup or close a quoted attribute. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c]);

const INLINE =
  /(`[^`]+`)|\*\*(.+?)\*\*|!\[([^\]]*)\]\(([^)\s]+)\)|\[([^\]]+)\]\(([^)\s]+)\)|\*([^*\s](?:[^*]*[^*\s])?)\*|(?<![\p{L}\p{N}])_([^_\s](?:[^_]*[^_\s])?)_(?![\p{L}\p{N}])/u;

export function inlineHtml(text: string): string {
  let out = '';
  let rest = text;
  while (rest) {
    const m = INLINE.exec(rest);
    if (!m) {
      out += escapeHtml(rest);
      break;
    }
    out += escapeHtml(rest.slice(0, m.index));
    if (m[1]) out += `<code>${escapeHtml(m[1].slice(1, -1))}</code>`;
    else if (m[2] !== undefined) out += `<strong>${inlineHtml(m[2])}</strong>`;
    else if (m[4] !== undefined)
      out += SAFE_URL.test(m[4])
        ? `<img src="${escapeHtml(m[4])}" alt="${escapeHtml(m[3])}" loading="lazy">`
        : escapeHtml(m[3]);
    else if (m[6] !== undefined)
      out += SAFE_URL.test(m[6])
        ? `<a href="${escapeHtml(m[6])}"${/^https?:/i.test(m[6]) ? ' rel="noopener noreferrer"' : ''}>${inlineHtml(m[5])}</a>`
        : inlineHtml(m[5]);
    else if (m[7] !== undefined) out += `<em>${inlineHtml(m[7])}</em>`;
    else if (m[8] !== undefined) out += `<em>${inlineHtml(m[8])}</em>`;
    rest = rest.slice(m.index + m[0].length);
  }
  return out;
}

const cells = (row: string) =>
  row
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((c) => c.trim());

const BULLET = /^\s*[-*+]\s+/;
const NUMBER = /^\s*(\d+)[.)]\s+/;

/** Renders Markdown as an HTML string in which only the renderer's own tags are markup. */
export function markdownHtml(source: string): string {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  let out = '';
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (!line.trim()) {
      i++;
      continue;
    }
    if (/^\s*```/.test(line)) {
      const code: string[] = [];
      i++;
      while (i < lines.length && !/^\s*```\s*$/.test(lines[i])) code.push(lines[i++]);
      i++;
      out += `<pre><code>${escapeHtml(code.join('\n'))}</code></pre>`;
      continue;
    }
    const h = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (h) {
      const level = Math.min(h[1].length + 1, 6);
      out += `<h${level}>${inlineHtml(h[2])}</h${level}>`;
      i++;
      continue;
    }
    if (/^\s*(-{3,}|\*{3,}|_{3,})\s*$/.test(line)) {
      out += '<hr>';
      i++;
      continue;
    }
    if (/^\s*\|/.test(line) && i + 1 < lines.length && /^\s*\|?\s*:?-{3,}/.test(lines[i + 1])) {
      const head = cells(line);
      i += 2;
      const rows: string[][] = [];
      while (i < lines.length && /^\s*\|/.test(lines[i])) rows.push(cells(lines[i++]));
      out +=
        `<div class="table-wrap" tabindex="0" role="region" aria-label="${escapeHtml(head.join(', '))}"><table>` +
        `<thead><tr>${head.map((c) => `<th scope="col">${inlineHtml(c)}</th>`).join('')}</tr></thead>` +
        `<tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${inlineHtml(c)}</td>`).join('')}</tr>`).join('')}</tbody>` +
        '</table></div>';
      continue;
    }
    if (/^\s*>/.test(line)) {
      const quoted: string[] = [];
      while (i < lines.length && /^\s*>/.test(lines[i])) quoted.push(lines[i++].replace(/^\s*>\s?/, ''));
      out += `<blockquote>${markdownHtml(quoted.join('\n'))}</blockquote>`;
      continue;
    }
    if (BULLET.test(line) || NUMBER.test(line)) {
      const ordered = NUMBER.test(line);
      const start = ordered ? Number(NUMBER.exec(line)?.[1] ?? 1) : 1;
      const marker = ordered ? NUMBER : BULLET;
      const items: string[] = [];
      while (i < lines.length && lines[i].trim()) {
        if (marker.test(lines[i])) items.push(lines[i].replace(marker, ''));
        else if (items.length && /^\s+/.test(lines[i])) items[items.length - 1] += ` ${lines[i].trim()}`;
        else break;
        i++;
      }
      const lis = items.map((it) => `<li>${inlineHtml(it)}</li>`).join('');
      out += ordered ? `<ol${start === 1 ? '' : ` start="${start}"`}>${lis}</ol>` : `<ul>${lis}</ul>`;
      continue;
    }
    const para: string[] = [];
    while (
      i < lines.length &&
      lines[i].trim() &&
      !/^(#{1,6})\s|^\s*```|^\s*>|^\s*\|/.test(lines[i]) &&
      !BULLET.test(lines[i]) &&
      !NUMBER.test(lines[i])
    ) {
      para.push(lines[i++].trim());
    }
    if (!para.length) para.push(lines[i++].trim());
    out += `<p>${inlineHtml(para.join(' '))}</p>`;
  }
  return out;
}
