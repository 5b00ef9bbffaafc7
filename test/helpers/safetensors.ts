/**
 * Synthetic safetensors files for the trimming tests and the trim benchmark: written in chunks
 * (so multi-GB files need no memory), filled with bytes that depend on the tensor and position,
 * so that any misplaced row shows up.
 */
import { closeSync, openSync, readSync, writeSync } from 'node:fs';

export const DTYPE_BYTES: Record<string, number> = { F32: 4, F16: 2, BF16: 2 };

export interface TensorSpec {
  name: string;
  dtype: 'F32' | 'F16' | 'BF16';
  shape: number[];
}

const numel = (s: number[]) => s.reduce((a, b) => a * b, 1);

/** Deterministic bytes: xorshift32 seeded by (tensor index, chunk index). */
function fill(buf: Buffer, n: number, seed: number): void {
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i + 4 <= n; i += 4) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    buf.writeUInt32LE(x, i);
  }
  for (let i = n - (n % 4); i < n; i++) buf[i] = (seed + i) & 0xff;
}

/** Writes a safetensors file; returns the byte size of each tensor's data. */
export function writeSynthetic(path: string, tensors: TensorSpec[], chunk = 8 << 20, header: object = {}): void {
  const h: Record<string, unknown> = { ...header };
  let at = 0;
  for (const t of tensors) {
    const bytes = numel(t.shape) * DTYPE_BYTES[t.dtype]!;
    h[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [at, at + bytes] };
    at += bytes;
  }
  let json = JSON.stringify(h);
  json += ' '.repeat((8 - ((Buffer.byteLength(json) + 8) % 8)) % 8);
  const fd = openSync(path, 'w');
  try {
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(Buffer.byteLength(json)));
    writeSync(fd, len);
    writeSync(fd, Buffer.from(json));
    const buf = Buffer.alloc(chunk);
    tensors.forEach((t, ti) => {
      const bytes = numel(t.shape) * DTYPE_BYTES[t.dtype]!;
      for (let off = 0, c = 0; off < bytes; off += chunk, c++) {
        const n = Math.min(chunk, bytes - off);
        fill(buf, n, ti * 1_000_003 + c);
        writeSync(fd, buf, 0, n);
      }
    });
  } finally {
    closeSync(fd);
  }
}

/** Raw header and data of a (small) safetensors file, parsed without vocabsmith. */
export function readSmall(path: string): { header: Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>; data: Buffer } {
  const fd = openSync(path, 'r');
  try {
    const len = Buffer.alloc(8);
    readSync(fd, len, 0, 8, 0);
    const n = Number(len.readBigUInt64LE(0));
    const hb = Buffer.alloc(n);
    readSync(fd, hb, 0, n, 8);
    const header = JSON.parse(hb.toString('utf8'));
    delete header.__metadata__;
    const total = Math.max(0, ...Object.values(header as Record<string, { data_offsets: number[] }>).map((t) => t.data_offsets[1]!));
    const data = Buffer.alloc(total);
    readSync(fd, data, 0, total, 8 + n);
    return { header, data };
  } finally {
    closeSync(fd);
  }
}

/** The bytes of one tensor of a file read with readSmall. */
export function tensorBytes(f: ReturnType<typeof readSmall>, name: string): Buffer {
  const t = f.header[name];
  if (!t) throw new Error(`no tensor ${name}`);
  return f.data.subarray(t.data_offsets[0], t.data_offsets[1]);
}
