import { describe, expect, it } from 'vitest';
import { decodeBase64, encodeBase64, fromUtf8, utf8 } from './encoding';

describe('encoding', () => {
  it('base64 pads like Go and encodes multi-byte characters as UTF-8', () => {
    expect(encodeBase64('')).toBe('');
    expect(encodeBase64('ab')).toBe('YWI=');
    expect(encodeBase64('€')).toBe('4oKs');
    expect(encodeBase64('😀')).toBe('8J+YgA==');
  });

  it('decodes what it encodes, skipping padding and line breaks', () => {
    for (const text of ['', 'hello', 's3cr3t-pässwörd\n', '😀 €']) expect(decodeBase64(encodeBase64(text))).toBe(text);
    expect(decodeBase64('aGVs\nbG8=')).toBe('hello');
  });

  it('turns bytes that are not UTF-8 and lone surrogates into U+FFFD', () => {
    expect(fromUtf8([0x68, 0xff, 0x69])).toBe('h\ufffdi');
    expect(utf8('\ud800')).toEqual([0xef, 0xbf, 0xbd]);
  });
});
