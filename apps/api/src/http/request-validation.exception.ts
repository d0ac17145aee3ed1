import { type ArgumentMetadata, BadRequestException, ValidationPipe } from '@nestjs/common';
import type { ValidationError } from 'class-validator';

/** Thrown by the global ValidationPipe; the problem filter localises it per request. */
export class RequestValidationException extends BadRequestException {
  constructor(readonly validationErrors: ValidationError[]) {
    super('Validation failed');
  }
}

/** No DTO nests deeper than a few levels; 32 leaves room and stops stack-deep payloads early. */
export const MAX_INPUT_DEPTH = 32;

/** NUL (PostgreSQL text cannot hold it) or a UTF-16 surrogate without its pair (not Unicode text). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const illFormed = (text: string) => text.includes('\u0000') || LONE_SURROGATE.test(text);

function inputError(property: string, constraint: 'maxDepth' | 'wellFormedText'): ValidationError[] {
  const english =
    constraint === 'maxDepth'
      ? `${property} is nested deeper than ${MAX_INPUT_DEPTH} levels`
      : `${property} must not contain NUL characters or unpaired surrogates`;
  return [{ property, constraints: { [constraint]: english }, children: [] }];
}

/**
 * The rules every field shares, checked before class-transformer sees the value: nesting depth
 * (class-transformer recurses, and a 10,000-deep array overflowed the stack into a 500) and text
 * PostgreSQL would refuse or store mangled (NUL, lone surrogates). Walks iteratively; returns the
 * first offence, named by its top-level field.
 */
export function screenInput(value: unknown): ValidationError[] {
  const stack: Array<{ v: unknown; depth: number; field: string }> = [{ v: value, depth: 0, field: '' }];
  while (stack.length) {
    const { v, depth, field } = stack.pop() as { v: unknown; depth: number; field: string };
    if (typeof v === 'string') {
      if (illFormed(v)) return inputError(field || '(body)', 'wellFormedText');
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth >= MAX_INPUT_DEPTH) return inputError(field || '(body)', 'maxDepth');
    for (const [k, child] of Object.entries(v)) {
      const name = field || (Array.isArray(v) ? '(body)' : k);
      if (illFormed(k)) return inputError(name, 'wellFormedText');
      stack.push({ v: child, depth: depth + 1, field: name });
    }
  }
  return [];
}

/** The global pipe: shared input rules first, then the DTO's class-validator rules. */
class RequestValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata) {
    // Custom decorators (the caller, parsed rosters) hand over server-made values.
    if (metadata.type !== 'custom') {
      const errors = screenInput(value);
      if (errors.length) throw new RequestValidationException(errors);
    }
    return super.transform(value, metadata);
  }
}

export function createValidationPipe(): ValidationPipe {
  return new RequestValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new RequestValidationException(errors),
  });
}
