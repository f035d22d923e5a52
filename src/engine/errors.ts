/**
 * Thrown when the simulation hits one of its bounds: too many pending events, or
 * a loop that keeps scheduling work without the clock advancing. A runaway must
 * fail loudly with what it was doing, never hang the tab.
 */
export class SimulationLimitError extends Error {
  override readonly name = 'SimulationLimitError';
}
