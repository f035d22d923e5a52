import type { Rng } from '../rng';
import type { FieldError } from './apiObjects';

/**
 * The Service IP and NodePort allocators. Like kube-apiserver's, their state lives in etcd
 * (one key each) and is written in the same transaction as the Service, so two API servers
 * can never hand out the same address.
 */
export const SERVICE_IP_KEY = '/registry/ranges/serviceips';
export const NODE_PORT_KEY = '/registry/ranges/servicenodeports';
/** kubeadm's default --service-cluster-ip-range. */
export const SERVICE_CIDR = '10.96.0.0/12';
const SERVICE_BASE = (10 << 24) | (96 << 16);
const SERVICE_SIZE = 1 << 20;
export const NODE_PORT_MIN = 30000;
export const NODE_PORT_MAX = 32767;

export interface RangeState {
  readonly range: string;
  /** Allocated values (IP offsets or ports), ascending. */
  readonly allocated: readonly number[];
}

export const emptyRange = (range: string): RangeState => ({ range, allocated: [] });

export function ipOf(offset: number): string {
  const n = SERVICE_BASE + offset;
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

function offsetOf(ip: string): number | undefined {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) return undefined;
  const n = ((parts[0] as number) << 24) | ((parts[1] as number) << 16) | ((parts[2] as number) << 8) | (parts[3] as number);
  const offset = (n >>> 0) - SERVICE_BASE;
  return offset >= 1 && offset < SERVICE_SIZE - 1 ? offset : undefined;
}

const withValue = (s: RangeState, v: number): RangeState => ({ range: s.range, allocated: [...s.allocated, v].sort((a, b) => a - b) });
export const without = (s: RangeState, values: readonly number[]): RangeState => ({ range: s.range, allocated: s.allocated.filter((v) => !values.includes(v)) });

/** A free value in [lo, hi], from a random start, as the bitmap allocator probes. */
function pickFree(s: RangeState, lo: number, hi: number, rng: Rng): number | undefined {
  const taken = new Set(s.allocated);
  const size = hi - lo + 1;
  const start = rng.int(size);
  for (let i = 0; i < size; i++) {
    const v = lo + ((start + i) % size);
    if (!taken.has(v)) return v;
  }
  return undefined;
}

/** Allocates the Service's cluster IP: the one asked for if free, a random free one otherwise. */
export function allocateClusterIP(s: RangeState, requested: string | undefined, rng: Rng): { ip: string; state: RangeState } | { error: FieldError } {
  if (requested !== undefined && requested !== '') {
    const offset = offsetOf(requested);
    if (offset === undefined) {
      return { error: { field: 'spec.clusterIPs', type: 'Invalid value', goValue: `[]string{${JSON.stringify(requested)}}`, detail: `failed to allocate IP ${requested}: the provided IP (${requested}) is not in the valid range. The range of valid IPs is ${SERVICE_CIDR}` } };
    }
    if (s.allocated.includes(offset)) {
      return { error: { field: 'spec.clusterIPs', type: 'Invalid value', goValue: `[]string{${JSON.stringify(requested)}}`, detail: `failed to allocate IP ${requested}: provided IP is already allocated` } };
    }
    return { ip: requested, state: withValue(s, offset) };
  }
  // Dynamic addresses come from the upper part of the range, leaving the lower band for static ones.
  const band = Math.min(Math.max(16, SERVICE_SIZE >> 4), 256);
  const offset = pickFree(s, band, SERVICE_SIZE - 2, rng);
  if (offset === undefined) return { error: { field: 'spec.clusterIPs', type: 'Invalid value', detail: 'failed to allocate a serviceIP: range is full' } };
  return { ip: ipOf(offset), state: withValue(s, offset) };
}

export function releaseClusterIP(s: RangeState, ip: unknown): RangeState {
  const offset = typeof ip === 'string' ? offsetOf(ip) : undefined;
  return offset === undefined ? s : without(s, [offset]);
}

/** Gives every port of a NodePort Service without one a free node port; checks the ones asked for. */
export function allocateNodePorts(s: RangeState, ports: Record<string, unknown>[], rng: Rng): { state: RangeState } | { error: FieldError } {
  let state = s;
  for (const [i, p] of ports.entries()) {
    if (typeof p.nodePort === 'number') {
      if (p.nodePort < NODE_PORT_MIN || p.nodePort > NODE_PORT_MAX) {
        return { error: { field: `spec.ports[${i}].nodePort`, type: 'Invalid value', value: p.nodePort, detail: `provided port is not in the valid range. The range of valid ports is ${NODE_PORT_MIN}-${NODE_PORT_MAX}` } };
      }
      if (state.allocated.includes(p.nodePort)) return { error: { field: `spec.ports[${i}].nodePort`, type: 'Invalid value', value: p.nodePort, detail: 'provided port is already allocated' } };
      state = withValue(state, p.nodePort);
      continue;
    }
    const port = pickFree(state, NODE_PORT_MIN, NODE_PORT_MAX, rng);
    if (port === undefined) return { error: { field: `spec.ports[${i}].nodePort`, type: 'Invalid value', detail: 'failed to allocate a nodePort: range is full' } };
    p.nodePort = port;
    state = withValue(state, port);
  }
  return { state };
}
