import type { Rng } from './rng';

/** A version-4 UUID from the simulation's PRNG (what apimachinery's uuid.NewUUID gives, deterministically). */
export function uuidV4(rng: Rng): string {
  const hex = Array.from({ length: 4 }, () => rng.u32().toString(16).padStart(8, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${((parseInt(hex[16] as string, 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
