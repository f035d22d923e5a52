/** Go's hash/fnv over UTF-8 bytes, as the controllers name revisions with it. */

export { utf8 } from '../encoding';

/** fnv.New32a (xor then multiply): the pod-template-hash. */
export function fnv32a(bytes: readonly number[], seed = 0x811c9dc5): number {
  let h = seed;
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h;
}

/** fnv.New32 (multiply then xor): ControllerRevision names. */
export function fnv32(bytes: readonly number[]): number {
  let h = 0x811c9dc5;
  for (const b of bytes) h = (Math.imul(h, 0x01000193) ^ b) >>> 0;
  return h;
}
