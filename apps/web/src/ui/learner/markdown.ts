import { html, nothing, type TemplateResult } from 'lit';

/**
 * A small, safe Markdown renderer for lesson text: the source is never parsed as HTML — every piece
 * becomes a Lit template value, so "<script>" shows as text. Supports headings (shifted one level
 * down: the page's h1 is the lesson title), paragraphs, bullet and numbered lists, block quotes,
 * tables, fenced code, rules, **bold**, *italic*, `code`, [links](url) and ![images](src).
 */
type Part = TemplateResult | string;

const SAFE_URL = /^(https?:\/\/|\/(?!\/)|#|mailto:|tel:)/i;

export function inline(text: string): Part[] {
  const out: Part[] = [];
  const re =
    /(`[^`]+`)|\*\*(.+?)\*\*|!\[([^\]]*)\]\(([^)\s]+)\)|\[([^\]]+)\]\(([^)\s]+)\)|\*([^*\s](?:[^*]*[^*\s])?)\*|(?<![\p{L}\p{N}])_([^_\s](?:[^_]*[^_\s])?)_(?![\p{L}\p{N}])/u;
  let rest = text;
  while (rest) {
    const m = re.exec(rest);
    if (!m) {
      out.push(rest);
      break;
    }
    if (m.index > 0) out.push(rest.slice(0, m.index));
    if (m[1]) out.push(html`<code>${m[1].slice(1, -1)}</code>`);
    else if (m[2] !== undefined) out.push(html`<strong>${inline(m[2])}</strong>`);
    else if (m[4] !== undefined)
      out.push(SAFE_URL.test(m[4]) ? html`<img src=${m[4]} alt=${m[3]} loading="lazy" />` : m[3]);
    else if (m[6] !== undefined)
      out.push(
        SAFE_URL.test(m[6])
          ? /^https?:/i.test(m[6])
            ? html`<a href=${m[6]} rel="noopener noreferrer">${inline(m[5])}</a>`
            : html`<a href=${m[6]}>${inline(m[5])}</a>`
          : html`${inline(m[5])}`,
      );
    else if (m[7] !== undefined) out.push(html`<em>${inline(m[7])}</em>`);
    else if (m[8] !== undefined) out.push(html`<em>${inline(m[8])}</em>`);
    rest = rest.slice(m.index + m[0].length);
  }
  return out;
}

function heading(level: number, content: Part[]): TemplateResult {
  switch (Math.min(level + 1, 6)) {
    case 2:
      return html`<h2>${content}</h2>`;
    case 3:
      return html`<h3>${content}</h3>`;
    case 4:
      return html`<h4>${content}</h4>`;
    case 5:
      return html`<h5>${content}</h5>`;
    default:
      return html`<h6>${content}</h6>`;
  }
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

/** Renders Markdown as Lit templates. */
export function markdown(source: string): TemplateResult {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: TemplateResult[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (!line.trim()) {
      i++;
      continue;
    }
    const fence = /^\s*```/.exec(line);
    if (fence) {
      const code: string[] = [];
      i++;
      while (i < lines.length && !/^\s*```\s*$/.test(lines[i])) code.push(lines[i++]);
      i++;
      blocks.push(html`<pre><code>${code.join('\n')}</code></pre>`);
      continue;
    }
    const h = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (h) {
      blocks.push(heading(h[1].length, inline(h[2])));
      i++;
      continue;
    }
    if (/^\s*(-{3,}|\*{3,}|_{3,})\s*$/.test(line)) {
      blocks.push(html`<hr />`);
      i++;
      continue;
    }
    if (/^\s*\|/.test(line) && i + 1 < lines.length && /^\s*\|?\s*:?-{3,}/.test(lines[i + 1])) {
      const head = cells(line);
      i += 2;
      const rows: string[][] = [];
      while (i < lines.length && /^\s*\|/.test(lines[i])) rows.push(cells(lines[i++]));
      blocks.push(html`<div class="table-wrap" tabindex="0" role="region" aria-label=${head.join(', ')}>
        <table>
          <thead><tr>${head.map((c) => html`<th scope="col">${inline(c)}</th>`)}</tr></thead>
          <tbody>${rows.map((r) => html`<tr>${r.map((c) => html`<td>${inline(c)}</td>`)}</tr>`)}</tbody>
        </table>
      </div>`);
      continue;
    }
    if (/^\s*>/.test(line)) {
      const quoted: string[] = [];
      while (i < lines.length && /^\s*>/.test(lines[i])) quoted.push(lines[i++].replace(/^\s*>\s?/, ''));
      blocks.push(html`<blockquote>${markdown(quoted.join('\n'))}</blockquote>`);
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
      const lis = items.map((it) => html`<li>${inline(it)}</li>`);
      blocks.push(ordered ? html`<ol start=${start === 1 ? nothing : start}>${lis}</ol>` : html`<ul>${lis}</ul>`);
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
    blocks.push(html`<p>${inline(para.join(' '))}</p>`);
  }
  return html`${blocks}`;
}
