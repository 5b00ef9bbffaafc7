// `vocabsmith decode` reads its ids with a byte scanner (scanIds) and falls back to JSON.parse
// (parseIds, which names what is wrong) for anything the scanner does not take: the scanner must
// take every plain id array, with the ids JSON.parse reads, and never take what JSON.parse would
// not read as the same ids.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { scanIds } from '../../src/cli/decode.js';

const space = fc.constantFrom('', ' ', '\n', '\t', '\r\n', '  ');

describe('scanIds', () => {
  it('reads every JSON array of ids below 2^32, however spaced, as JSON.parse does', () => {
    const ids = fc.array(fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 2 ** 32 - 1 })), { maxLength: 60 });
    fc.assert(
      fc.property(ids, fc.array(space, { minLength: 130, maxLength: 130 }), (xs, sp) => {
        const text = sp[0] + '[' + sp[1] + xs.map((x, i) => `${x}${sp[(2 * i + 2) % 128]},${sp[(2 * i + 3) % 128]}`).join('').replace(/,\s*$/, '') + sp[128] + ']' + sp[129];
        const got = scanIds(Buffer.from(text));
        expect(got, text).toBeDefined();
        expect(Array.from(got!)).toEqual(JSON.parse(text));
      }),
      { numRuns: 500 },
    );
  });

  it('takes nothing that JSON.parse would not read as those same ids', () => {
    const text = fc.array(fc.constantFrom('[', ']', ',', ' ', '0', '1', '9', '4294967295', '4294967296', '01', '-', '.', 'e', '"', 'x', '\n'), { maxLength: 14 }).map((a) => a.join(''));
    fc.assert(
      fc.property(text, (t) => {
        const got = scanIds(Buffer.from(t));
        if (got === undefined) return;
        const parsed = JSON.parse(t) as unknown;
        expect(parsed).toEqual(Array.from(got));
        expect((parsed as number[]).every((x) => Number.isInteger(x) && x >= 0 && x < 2 ** 32)).toBe(true);
      }),
      { numRuns: 5000 },
    );
    for (const bad of ['', '[', '[1,]', '[,1]', '[01]', '[1 2]', '[4294967296]', '[-1]', '[1.5]', '[1e3]', '{}', '[1]x', '["1"]']) expect(scanIds(Buffer.from(bad)), bad).toBeUndefined();
    expect(Array.from(scanIds(Buffer.from(' [ ] '))!)).toEqual([]);
  });
});
