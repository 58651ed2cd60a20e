// The pointer format of src/core/layout.ts: what the uploader writes and the Worker reads.
import { describe, expect, it } from 'vitest';
import { parsePointer, pointerText } from '../../src/core/layout.js';

describe('a pointer', () => {
  it('names the live version and the one before it, and reads back what pointerText writes', () => {
    expect(parsePointer(pointerText({ version: 'v2', previous: 'v1' }))).toEqual({ version: 'v2', previous: 'v1' });
  });

  it('of the older form {"version"} is read as it is', () => {
    expect(parsePointer('{"version": "20261128T0130Z-3f2a9c1d"}')).toEqual({ version: '20261128T0130Z-3f2a9c1d' });
  });

  it('ignores a "previous" that is no version id, or the live one itself', () => {
    expect(parsePointer('{"version": "v2", "previous": "../v1"}')).toEqual({ version: 'v2' });
    expect(parsePointer('{"version": "v2", "previous": 7}')).toEqual({ version: 'v2' });
    expect(parsePointer('{"version": "v2", "previous": "v2"}')).toEqual({ version: 'v2' });
  });

  it('must be JSON naming a version id', () => {
    expect(() => parsePointer('v1')).toThrow('is not valid JSON');
    for (const text of ['null', '[]', '{}', '{"version": ""}', '{"version": "a/b"}', '{"version": 3}']) {
      expect(() => parsePointer(text), text).toThrow(/must be \{"version"/);
    }
  });
});
