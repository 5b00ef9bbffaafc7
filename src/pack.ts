/** Many texts as one UTF-8 buffer and the end offset of each: one copy into WASM for all of them. */
export function packTexts(texts: readonly string[]): { bytes: Uint8Array; ends: Uint32Array } {
  const encoder = new TextEncoder();
  const parts = texts.map((t) => encoder.encode(t));
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  const ends = new Uint32Array(parts.length);
  let at = 0;
  parts.forEach((p, i) => {
    bytes.set(p, at);
    at += p.length;
    ends[i] = at;
  });
  return { bytes, ends };
}
