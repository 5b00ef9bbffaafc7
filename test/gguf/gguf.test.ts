import { mkdtempSync, openSync, readSync, closeSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GgufValueType, readGgufHeader } from '../../src/formats/gguf.js';
import { smollm2Gguf } from '../helpers/models.js';

function head(path: string, n: number): Buffer {
  const fd = openSync(path, 'r');
  const buf = Buffer.alloc(n);
  readSync(fd, buf, 0, n, 0);
  closeSync(fd);
  return buf;
}

describe('GGUF header', () => {
  it('reads SmolLM2: metadata with types, the tokenizer, the tensor table', () => {
    const h = readGgufHeader(smollm2Gguf());
    expect(h.version).toBe(3);
    expect(h.metadata.get('general.architecture')?.value).toBe('llama');
    expect(h.metadata.get('tokenizer.ggml.model')?.value).toBe('gpt2');
    const tokens = h.metadata.get('tokenizer.ggml.tokens')!;
    expect(tokens.array && tokens.type).toBe(GgufValueType.String);
    expect((tokens.value as string[]).length).toBe(49152);
    expect((tokens.value as string[])[0]).toBe('<|endoftext|>');
    const merges = h.metadata.get('tokenizer.ggml.merges')!.value as string[];
    expect(merges[0]).toMatch(/^\S+ \S+$/);
    expect(h.metadata.get('tokenizer.ggml.eos_token_id')?.type).toBe(GgufValueType.U32);
    const embd = h.tensors.find((t) => t.name === 'token_embd.weight')!;
    expect(embd.dims).toEqual([576, 49152]);
    expect(embd.size).toBe(embd.rowBytes * 49152);
    expect(h.dataStart % h.alignment).toBe(0);
    const end = Math.max(...h.tensors.map((t) => h.dataStart + t.offset + t.size));
    expect(end).toBeLessThanOrEqual(h.fileSize);
    expect(h.fileSize - end).toBeLessThan(h.alignment);
  });

  it('refuses a truncated file and a non-GGUF with one error naming the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vocabsmith-gguf-'));
    const src = smollm2Gguf();
    const cut = join(dir, 'cut.gguf');
    writeFileSync(cut, head(src, 1_000_000)); // ends inside the header (the vocabulary; the header is 1.8 MB)
    expect(() => readGgufHeader(cut)).toThrow(new RegExp(`^${cut}: corrupt GGUF header: metadata "tokenizer.ggml.merges" claims 48900 elements`));
    const noData = join(dir, 'nodata.gguf');
    const h = readGgufHeader(src);
    writeFileSync(noData, head(src, h.dataStart + 1000)); // tensor table intact, data missing
    expect(() => readGgufHeader(noData)).toThrow(/past the end of the file/);
    const json = join(dir, 'tokenizer.json');
    writeFileSync(json, '{"model": {}}');
    expect(() => readGgufHeader(json)).toThrow(`${json}: not a GGUF file`);
    expect(() => readGgufHeader(join(dir, 'missing.gguf'))).toThrow(/missing\.gguf/);
  });
});
