import { randomInt } from 'node:crypto';

/** Join codes: 8 characters from an alphabet without look-alikes (0/O, 1/I/L). */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

export function newJoinCode(): string {
  let s = '';
  for (let i = 0; i < 8; i++) s += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return s;
}

/** Join codes are typed on phones: case, spaces and dashes do not matter. */
export const normalizeJoinCode = (code: string) => code.toUpperCase().replace(/[\s-]+/g, '');
