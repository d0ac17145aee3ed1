import { existsSync, readFileSync } from 'node:fs';
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
  // From the sources (libs/identity/src/services) or the build (dist/libs/identity/src/services):
  // the repository's content/ is four or five folders up. Missing, it is an installation fault —
  // not something to skip silently (it once was: the built app accepted "matkhau123").
  const file = [4, 5]
    .map((up) => join(__dirname, ...Array(up).fill('..'), 'content/security/common-passwords-vi.txt'))
    .find((f) => existsSync(f));
  if (!file) throw new Error('content/security/common-passwords-vi.txt not found (the password policy needs it)');
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const p = line.trim();
    if (p && !p.startsWith('#')) set.add(p.normalize('NFC').toLowerCase());
  }
  return set;
}

export function isCommonPassword(password: string): boolean {
  cache ??= load();
  return cache.has(password.toLowerCase());
}
