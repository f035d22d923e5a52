/** Text as Go sees it: UTF-8 bytes, and the standard base64 of them (Secret data, etcdctl's JSON, tokens). */

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** The UTF-8 bytes of a string; a lone surrogate (no UTF-8 form) becomes U+FFFD, as Go's JSON decoder makes it. */
export function utf8(s: string): number[] {
  const out: number[] = [];
  for (const ch of s) {
    let c = ch.codePointAt(0) as number;
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 0x3f));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 0x3f), 0x80 | ((c >> 6) & 0x3f), 0x80 | (c & 0x3f));
  }
  return out;
}

/** Text from UTF-8 bytes; a byte that starts no valid sequence comes out as U+FFFD. */
export function fromUtf8(b: readonly number[]): string {
  let s = '';
  for (let i = 0; i < b.length; ) {
    const c = b[i] ?? 0;
    const n = c < 0x80 ? 0 : c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : -1;
    const tail = b.slice(i + 1, i + 1 + Math.max(n, 0));
    if (n < 0 || tail.length < n || tail.some((x) => (x & 0xc0) !== 0x80)) {
      s += '\ufffd';
      i++;
      continue;
    }
    let cp = n === 0 ? c : c & (0x3f >> n);
    for (const x of tail) cp = (cp << 6) | (x & 0x3f);
    s += String.fromCodePoint(cp);
    i += n + 1;
  }
  return s;
}

/** Standard base64 (padded, as Go's encoding/json writes []byte) of the text's UTF-8 bytes. */
export function encodeBase64(text: string): string {
  const bytes = utf8(text);
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const [a = 0, b = 0, c = 0] = bytes.slice(i, i + 3);
    const n = (a << 16) | (b << 8) | c;
    const left = bytes.length - i;
    out += (B64[n >> 18] ?? '') + (B64[(n >> 12) & 63] ?? '') + (left > 1 ? (B64[(n >> 6) & 63] ?? '') : '=') + (left > 2 ? (B64[n & 63] ?? '') : '=');
  }
  return out;
}

/** Base64 to text (UTF-8); characters outside the alphabet (whitespace, padding) are skipped. */
export function decodeBase64(s: string): string {
  const out: number[] = [];
  let bits = 0;
  let value = 0;
  for (const ch of s) {
    const v = B64.indexOf(ch);
    if (v < 0) continue;
    value = ((value << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((value >> bits) & 0xff);
    }
  }
  return fromUtf8(out);
}
