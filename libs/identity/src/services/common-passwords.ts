import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dictionary } from '@zxcvbn-ts/language-common';

/**
 * ASVS 6.2.4: refuse the most common passwords. The list is the top 10,000 of zxcvbn-ts's ranked
 * common-password dictionary (breach corpora), plus Vietnamese favourites from
 * content/security/common-passwords-vi.txt. Compared case-insensitively.
 */
const TOP = 10_000;
let cache: Set<string> | undefined;

function load(): Set<string> {
  const set = new Set<string>();
  const ranked = (dictionary as Record<string, string[]>)['passwords-common'] ?? [];
  for (const p of ranked.slice(0, TOP)) set.add(p.toLowerCase());
  try {
    const file = join(__dirname, '../../../../content/security/common-passwords-vi.txt');
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      const p = line.trim();
      if (p && !p.startsWith('#')) set.add(p.normalize('NFC').toLowerCase());
    }
  } catch {
    /* the Vietnamese list is an addition; the ranked list alone meets the requirement */
  }
  return set;
}

export function isCommonPassword(password: string): boolean {
  cache ??= load();
  return cache.has(password.toLowerCase());
}
