import { EVENT_ID, type Event, getScalarValue, load, parseEvents, YAMLException } from 'js-yaml';

/** Dotted path into a parsed value: "modules.0.lessons.1". The root is "". */
export const joinPath = (parent: string, key: string | number) => (parent === '' ? String(key) : `${parent}.${key}`);

export type YamlResult =
  | { ok: true; value: unknown; lines: Map<string, number> }
  | { ok: false; line: number; reason: string };

/** Offsets → 1-based line numbers. */
export function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return (offset: number) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

/**
 * Parses one YAML document (core schema: dates stay strings, "yes" stays a string) and records the
 * line of every value by path — for a mapping entry, the line of its key — so a problem found in
 * the parsed value can be reported at its place in the file. `firstLine` shifts the numbers when
 * the YAML is embedded (front matter, a fenced block).
 */
export function parseYaml(text: string, firstLine = 1): YamlResult {
  if (text.trim() === '') return { ok: true, value: undefined, lines: new Map() };
  let value: unknown;
  let events: Event[];
  try {
    value = load(text);
    events = parseEvents(text, {});
  } catch (err) {
    if (err instanceof YAMLException) {
      return { ok: false, line: (err.mark?.line ?? 0) + firstLine, reason: err.reason };
    }
    return { ok: false, line: firstLine, reason: err instanceof Error ? err.message : String(err) };
  }
  const toLine = lineIndex(text);
  const lines = new Map<string, number>();
  const record = (path: string, offset: number) => {
    if (offset >= 0 && !lines.has(path)) lines.set(path, toLine(offset) + firstLine - 1);
  };
  let i = 0;
  const walk = (path: string): void => {
    const e = events[i++];
    if (!e) return;
    switch (e.type) {
      case EVENT_ID.SCALAR:
        record(path, e.valueStart);
        return;
      case EVENT_ID.ALIAS:
        record(path, e.anchorStart);
        return;
      case EVENT_ID.SEQUENCE: {
        record(path, e.start);
        let index = 0;
        while (i < events.length && events[i].type !== EVENT_ID.POP) walk(joinPath(path, index++));
        i++;
        return;
      }
      case EVENT_ID.MAPPING: {
        record(path, e.start);
        while (i < events.length && events[i].type !== EVENT_ID.POP) {
          const k = events[i];
          if (k.type === EVENT_ID.SCALAR) {
            const child = joinPath(path, getScalarValue(text, k));
            record(child, k.valueStart);
            i++;
            walk(child);
          } else {
            walk(joinPath(path, '?')); // a complex key: consumed, never reported on
            walk(joinPath(path, '?'));
          }
        }
        i++;
        return;
      }
      default:
        return;
    }
  };
  while (i < events.length) {
    const e = events[i];
    if (e.type === EVENT_ID.DOCUMENT) {
      i++;
      walk('');
      break;
    }
    i++;
  }
  return { ok: true, value, lines };
}
