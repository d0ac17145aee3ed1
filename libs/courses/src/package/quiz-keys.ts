import { createHash } from 'node:crypto';
import type { OrderingQuestion } from './package.types';

/**
 * Identifiers learners answer with. Option ids are letters in the authored order ("a", "b", …);
 * ordering items get ids derived from their text (they say nothing about the correct position) and
 * are shown sorted by id, rotated if that happens to be the correct order. The learning library
 * grades with the same functions.
 */
export function optionId(index: number): string {
  return String.fromCharCode(97 + index);
}

export function orderingItemId(questionId: string, text: string): string {
  return createHash('sha256').update(`${questionId}\u0000${text}`).digest('base64url').slice(0, 10);
}

/** The items as learners see them: `{ id, text }`, never in the correct order (when n ≥ 2). */
export function shuffledOrderingItems(
  question: Pick<OrderingQuestion, 'id' | 'items'>,
): Array<{ id: string; text: string }> {
  const items = question.items.map((text) => ({ id: orderingItemId(question.id, text), text }));
  const shown = [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (shown.length > 1 && shown.every((item, i) => item.id === items[i].id)) shown.push(shown.shift()!);
  return shown;
}

/** The ids of the items in the correct order (for grading). */
export function correctOrder(question: Pick<OrderingQuestion, 'id' | 'items'>): string[] {
  return question.items.map((text) => orderingItemId(question.id, text));
}
