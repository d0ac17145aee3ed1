import { Transform } from 'class-transformer';

/** Trims surrounding whitespace from strings before validation (pasted e-mails, phones). */
export const Trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));
