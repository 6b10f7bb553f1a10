import { describe, expect, it } from 'vitest';
import { applySplice, crc32, spliceOf } from '../src/lib/splice';

describe('splices', () => {
  it('crc32 is IEEE (as Go)', () => {
    expect(crc32(new TextEncoder().encode('The quick brown fox jumps over the lazy dog'))).toBe(0x414fa339);
  });

  it('turn one text into another, in UTF-8 bytes, whole characters only', () => {
    const cases: Array<[string, string]> = [
      ['Hello world', 'Hello brave world'],
      ['ünïcödé text', 'ünïcödé the text'],
      ['emoji 😀 here', 'emoji 😃 here'],
      ['same', 'same'],
      ['', 'new'],
      ['old', ''],
      ['aaa', 'aaaa'],
    ];
    for (const [from, to] of cases) {
      const s = spliceOf(from, to);
      expect(applySplice(from, s)).toBe(to);
    }
    const s = spliceOf('ünïcödé, then text', 'ünïcödé, then more text');
    expect(s.start).toBe(new TextEncoder().encode('ünïcödé, then ').length);
    expect(s.insert).toBe('more ');
  });

  it('do not fit another text', () => {
    const s = spliceOf('one two three', 'one 2 three');
    expect(applySplice('one two three!', s)).toBeNull();
    expect(applySplice('x', s)).toBeNull();
  });
});
