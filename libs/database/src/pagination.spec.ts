import { decodeCursor, encodeCursor, InvalidCursorError } from './pagination';

describe('cursors', () => {
  it('round-trip', () => {
    const c = { v: '2026-11-27T07:00:00.000Z', id: '5f0c' };
    expect(decodeCursor(encodeCursor(c))).toEqual(c);
  });

  it.each([
    '',
    'not base64 !',
    Buffer.from('{"v":1}').toString('base64url'),
    Buffer.from('[1,2]').toString('base64url'),
    Buffer.from('{"v":{},"id":"x"}').toString('base64url'),
  ])('refuses %j', (cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(InvalidCursorError);
  });
});
