import { type BlockKind, FENCED_BLOCK_KINDS } from './package.types';

/** A lesson file cut into its parts, with the line each part starts on (1-based). */
export interface LessonSourceParts {
  frontMatter?: { text: string; firstLine: number };
  parts: LessonSourcePart[];
  errors: Array<{
    code: 'FRONT_MATTER_MISSING' | 'FRONT_MATTER_UNCLOSED' | 'FENCE_UNCLOSED';
    line: number;
    kind?: string;
  }>;
}

export type LessonSourcePart =
  | { kind: 'text'; markdown: string; line: number }
  | { kind: Exclude<BlockKind, 'text'>; body: string; line: number; bodyFirstLine: number; closed: boolean };

const FENCE = /^( {0,3})(`{3,}|~{3,})[ \t]*([^\s`~]*)[^`]*$/;

/**
 * Splits `lessons/NN-slug.md`: YAML front matter between "---" lines, then Markdown. A fenced block
 * whose info string is a block kind (```quiz, ```practice, ```video, ```image, ```download) becomes
 * that block; everything between them is Markdown text. Other fenced code (```bash …) stays inside
 * the text, and block-looking fences inside it are not blocks.
 */
export function splitLessonMarkdown(source: string): LessonSourceParts {
  const lines = source.replace(/^\uFEFF/, '').split(/\r?\n/);
  const out: LessonSourceParts = { parts: [], errors: [] };
  let i = 0;
  if (lines[0]?.trim() === '---') {
    const end = lines.findIndex((l, n) => n > 0 && (l.trim() === '---' || l.trim() === '...'));
    if (end < 0) {
      out.errors.push({ code: 'FRONT_MATTER_UNCLOSED', line: 1 });
      return out;
    }
    out.frontMatter = { text: lines.slice(1, end).join('\n'), firstLine: 2 };
    i = end + 1;
  } else {
    out.errors.push({ code: 'FRONT_MATTER_MISSING', line: 1 });
  }

  let text: string[] = [];
  let textLine = i + 1;
  const flushText = () => {
    let first = 0;
    while (first < text.length && text[first].trim() === '') first++;
    let last = text.length - 1;
    while (last >= first && text[last].trim() === '') last--;
    if (first <= last) {
      out.parts.push({ kind: 'text', markdown: text.slice(first, last + 1).join('\n'), line: textLine + first });
    }
    text = [];
  };

  while (i < lines.length) {
    const line = lines[i];
    const fence = FENCE.exec(line);
    if (!fence) {
      if (text.length === 0) textLine = i + 1;
      text.push(line);
      i++;
      continue;
    }
    const [, indent, marks, info] = fence;
    const closes = (l: string) => {
      const m = /^( {0,3})(`{3,}|~{3,})[ \t]*$/.exec(l);
      return !!m && m[2][0] === marks[0] && m[2].length >= marks.length;
    };
    let end = i + 1;
    while (end < lines.length && !closes(lines[end])) end++;
    const closed = end < lines.length;
    const kind = info as BlockKind;
    if (indent === '' && (FENCED_BLOCK_KINDS as readonly string[]).includes(kind) && kind !== 'text') {
      flushText();
      if (!closed) out.errors.push({ code: 'FENCE_UNCLOSED', line: i + 1, kind });
      out.parts.push({
        kind,
        body: lines.slice(i + 1, end).join('\n'),
        line: i + 1,
        bodyFirstLine: i + 2,
        closed,
      });
      i = end + 1;
      textLine = i + 1;
      continue;
    }
    // Ordinary fenced code: part of the text, copied verbatim up to its closing fence.
    if (text.length === 0) textLine = i + 1;
    text.push(...lines.slice(i, Math.min(end + 1, lines.length)));
    i = end + 1;
  }
  flushText();
  return out;
}
