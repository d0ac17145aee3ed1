import { parseForm } from './lti-http';

describe('LTI form parsing', () => {
  it('decodes fields, keeps repeated ones as arrays, and treats __proto__ as a plain key', () => {
    const form = parseForm(
      'id_token=a.b.c&state=s%2B1&item=course%3Ax&item=lesson%3Ay&__proto__=p&name=Tr%E1%BA%A7n+B',
    );
    expect(form.id_token).toBe('a.b.c');
    expect(form.state).toBe('s+1');
    expect(form.item).toEqual(['course:x', 'lesson:y']);
    expect(form.name).toBe('Trần B');
    expect(Object.getPrototypeOf(form)).toBeNull();
    expect(Object.entries(form)).toContainEqual(['__proto__', 'p']);
    expect(({} as Record<string, unknown>).p).toBeUndefined();
  });
});
