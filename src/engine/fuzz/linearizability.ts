/**
 * A linearizability checker: Wing & Gong's search with Lowe's memoisation of
 * (set of linearized operations, model state), as Porcupine does it. Histories
 * are partitioned by key first, since operations on different keys commute.
 *
 * An operation whose outcome is unknown (the client timed out, or got an error
 * that does not say whether the write happened) has no return: it may take
 * effect at any point after its call, or never.
 */
export interface Operation<I, O> {
  readonly clientId: string;
  readonly input: I;
  /** Undefined when the outcome is unknown. */
  readonly output: O | undefined;
  /** Logical times: strictly increasing across the whole history. */
  readonly call: number;
  /** Infinity when the outcome is unknown. */
  readonly ret: number;
}

export interface Model<S, I, O> {
  readonly init: S;
  /** Applies the operation in `state`; ok is false when `output` is impossible there. Unknown outputs must be accepted. */
  step(state: S, input: I, output: O | undefined): { ok: boolean; state: S };
  /** A string that is equal for equal states (memoisation key). */
  key(state: S): string;
  describe(input: I, output: O | undefined): string;
}

export type CheckResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly reason: 'not linearizable' | 'search limit'; readonly detail: string };

interface Node {
  readonly opIndex: number;
  readonly isCall: boolean;
  readonly time: number;
  match: Node | undefined;
  prev: Node | undefined;
  next: Node | undefined;
}

/** Checks one partition (e.g. one key). */
export function checkOperations<S, I, O>(model: Model<S, I, O>, ops: readonly Operation<I, O>[], maxSteps = 10_000_000): CheckResult {
  if (ops.length === 0) return { ok: true };
  // A doubly linked list of call and return events in time order.
  const events: Node[] = [];
  ops.forEach((op, i) => {
    const call: Node = { opIndex: i, isCall: true, time: op.call, match: undefined, prev: undefined, next: undefined };
    const ret: Node = { opIndex: i, isCall: false, time: op.ret, match: undefined, prev: undefined, next: undefined };
    call.match = ret;
    events.push(call, ret);
  });
  // Returns at equal (infinite) times keep operation order; calls precede returns at a tie.
  events.sort((a, b) => a.time - b.time || (a.isCall === b.isCall ? a.opIndex - b.opIndex : a.isCall ? -1 : 1));
  const head: Node = { opIndex: -1, isCall: false, time: -Infinity, match: undefined, prev: undefined, next: undefined };
  let prev = head;
  for (const e of events) {
    prev.next = e;
    e.prev = prev;
    prev = e;
  }

  const lift = (call: Node): void => {
    call.prev!.next = call.next;
    if (call.next) call.next.prev = call.prev;
    const ret = call.match!;
    ret.prev!.next = ret.next;
    if (ret.next) ret.next.prev = ret.prev;
  };
  const unlift = (call: Node): void => {
    const ret = call.match!;
    ret.prev!.next = ret;
    if (ret.next) ret.next.prev = ret;
    call.prev!.next = call;
    if (call.next) call.next.prev = call;
  };

  const cache = new Set<string>();
  const stack: { call: Node; state: S }[] = [];
  let linearized = 0n;
  let state = model.init;
  let entry = head.next;
  let steps = 0;
  let longest: number[] = [];

  while (head.next !== undefined) {
    if (++steps > maxSteps) {
      return { ok: false, reason: 'search limit', detail: `gave up after ${maxSteps} steps over ${ops.length} operations` };
    }
    if (entry === undefined) throw new Error('linearizability: ran off the end of the history');
    if (entry.isCall) {
      const op = ops[entry.opIndex] as Operation<I, O>;
      const r = model.step(state, op.input, op.output);
      if (r.ok) {
        const next = linearized | (1n << BigInt(entry.opIndex));
        const key = `${next.toString(36)}|${model.key(r.state)}`;
        if (!cache.has(key)) {
          cache.add(key);
          stack.push({ call: entry, state });
          state = r.state;
          linearized = next;
          lift(entry);
          if (stack.length > longest.length) longest = stack.map((s) => s.call.opIndex);
          entry = head.next;
          continue;
        }
      }
      entry = entry.next;
    } else {
      // A return whose operation we could not place: undo the last choice.
      const top = stack.pop();
      if (top === undefined) {
        const placed = new Set(longest);
        const order = longest.map((i) => describeOp(model, ops[i] as Operation<I, O>)).join(', ');
        const next = ops
          .map((op, i) => ({ op, i }))
          .filter(({ i }) => !placed.has(i))
          .sort((x, y) => x.op.ret - y.op.ret)
          .slice(0, 3)
          .map(({ op }) => describeOp(model, op))
          .join(', ');
        return {
          ok: false,
          reason: 'not linearizable',
          detail: `the longest consistent order is [${order}]; none of the operations that must come next fits: ${next}`,
        };
      }
      state = top.state;
      linearized &= ~(1n << BigInt(top.call.opIndex));
      unlift(top.call);
      entry = top.call.next;
    }
  }
  return { ok: true };
}

function describeOp<S, I, O>(model: Model<S, I, O>, op: Operation<I, O>): string {
  const ret = op.ret === Infinity ? '∞' : String(op.ret);
  return `${op.clientId}:${model.describe(op.input, op.output)}@[${op.call},${ret}]`;
}

/** Checks a history partitioned by key: linearizable iff every key's history is. */
export function checkPartitioned<S, I, O>(
  model: Model<S, I, O>,
  ops: readonly Operation<I, O>[],
  keyOf: (input: I) => string,
  maxSteps?: number,
): CheckResult & { key?: string } {
  const byKey = new Map<string, Operation<I, O>[]>();
  for (const op of ops) {
    const k = keyOf(op.input);
    let list = byKey.get(k);
    if (list === undefined) byKey.set(k, (list = []));
    list.push(op);
  }
  for (const k of [...byKey.keys()].sort()) {
    const r = checkOperations(model, byKey.get(k) as Operation<I, O>[], maxSteps);
    if (!r.ok) return { ...r, key: k };
  }
  return { ok: true };
}

// ---- the key/value register model the fuzzer uses ----------------------------------------

export type KvInput =
  | { readonly kind: 'put'; readonly key: string; readonly value: string }
  | { readonly kind: 'get'; readonly key: string }
  /** `tag` only identifies the operation (the harness finds it in the log); it has no effect. */
  | { readonly kind: 'delete'; readonly key: string; readonly tag?: string }
  | { readonly kind: 'cas'; readonly key: string; readonly from: string; readonly to: string };

/** get: the value read (null for none); cas: whether it swapped; put/delete: null. */
export type KvOutput = string | null | boolean;

export const kvModel: Model<string | null, KvInput, KvOutput> = {
  init: null,
  step(state, input, output) {
    switch (input.kind) {
      case 'put':
        return { ok: true, state: input.value };
      case 'delete':
        return { ok: true, state: null };
      case 'get':
        return { ok: output === undefined || output === state, state };
      case 'cas': {
        const swaps = state === input.from;
        if (output === undefined) return { ok: true, state: swaps ? input.to : state };
        return { ok: output === swaps, state: swaps ? input.to : state };
      }
    }
  },
  key: (state) => (state === null ? '∅' : `=${state}`),
  describe(input, output) {
    const out = output === undefined ? '?' : JSON.stringify(output);
    switch (input.kind) {
      case 'put':
        return `put(${input.key}, ${input.value})`;
      case 'delete':
        return `delete(${input.key})`;
      case 'get':
        return `get(${input.key}) → ${out}`;
      case 'cas':
        return `cas(${input.key}, ${input.from} → ${input.to}) → ${out}`;
    }
  },
};
