// Long texts sent as what changed (PATCH "splice", api/openapi.yaml
// Splice): keep `start` bytes (UTF-8) from the beginning and `end` bytes
// from the end of the text the server has, put `insert` between; crc32 of
// the whole result shows both sides started from the same text. An
// autosave of a 50,000-word post is then a few hundred bytes each way.

export interface Splice {
  start: number;
  end: number;
  insert: string;
  crc32: number;
}

const enc = new TextEncoder();
const dec = new TextDecoder();

let table: Uint32Array | null = null;

/** crc32 is CRC-32 (IEEE), as Go's hash/crc32.ChecksumIEEE. */
export function crc32(bytes: Uint8Array): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = table[(c ^ bytes[i]) & 255] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const high = (c: number) => c >= 0xd800 && c <= 0xdbff;
const low = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/** spliceOf is the splice that turns from into to (their common beginning and end kept, whole characters only). */
export function spliceOf(from: string, to: string): Splice {
  let p = 0;
  const max = Math.min(from.length, to.length);
  while (p < max && from.charCodeAt(p) === to.charCodeAt(p)) p++;
  if (p > 0 && high(from.charCodeAt(p - 1))) p--;
  let q = 0;
  while (q < from.length - p && q < to.length - p && from.charCodeAt(from.length - 1 - q) === to.charCodeAt(to.length - 1 - q)) q++;
  if (q > 0 && low(from.charCodeAt(from.length - q))) q--;
  return {
    start: enc.encode(from.slice(0, p)).length,
    end: enc.encode(from.slice(from.length - q)).length,
    insert: to.slice(p, to.length - q),
    crc32: crc32(enc.encode(to)),
  };
}

/** applySplice is base spliced, or null when the splice does not fit base (another text). */
export function applySplice(base: string, s: Splice): string | null {
  const b = enc.encode(base);
  if (s.start < 0 || s.end < 0 || s.start + s.end > b.length) return null;
  const ins = enc.encode(s.insert);
  const out = new Uint8Array(s.start + ins.length + s.end);
  out.set(b.subarray(0, s.start), 0);
  out.set(ins, s.start);
  out.set(b.subarray(b.length - s.end), s.start + ins.length);
  if (crc32(out) !== s.crc32) return null;
  return dec.decode(out);
}

/** Texts shorter than this go whole: a splice would save little. */
export const SPLICE_FROM = 2000;
