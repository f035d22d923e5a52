/** The playback speeds the learner can pick: virtual milliseconds per wall-clock millisecond. */
export const SPEEDS = [1, 2, 5, 10, 50, 100, 500] as const;
export type Speed = (typeof SPEEDS)[number];

export function isSpeed(value: number): value is Speed {
  return (SPEEDS as readonly number[]).includes(value);
}

/** The sandbox's seed until scenarios and share links choose one. */
export const DEFAULT_SEED = 1;
