/**
 * The client-side logic of `kubectl set image` (k8s.io/kubectl/pkg/cmd/set/set_image.go):
 * which containers of a pod or pod template get which image. Every `error` is the text
 * kubectl writes to stderr (without the final newline); `message` is one stdout line.
 */
import type { KubeObject } from '../engine/apiserver/apiObjects';
import { RESOURCES } from '../engine/apiserver/resources';
import { objectRef } from './printers';

type Obj = Record<string, unknown>;
const o = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});

export type Failure = { error: string };

/** Splits the arguments into resources and `container=image` assignments (cmdutil.GetResourcesAndPairs). */
export function splitImageArgs(args: readonly string[]): { resources: string[]; assignments: string[] } | Failure {
  const resources: string[] = [];
  const assignments: string[] = [];
  for (const s of args) {
    const isPair = (s.includes('=') && !s.startsWith('=')) || (s.endsWith('-') && s !== '-');
    if (isPair) assignments.push(s);
    else if (assignments.length > 0) return { error: `error: all resources must be specified before image changes: ${s}` };
    else resources.push(s);
  }
  return { resources, assignments };
}

/** cmdutil.ParsePairs without removals, then Validate's checks on the images. Later duplicates win. */
export function parseImageAssignments(assignments: readonly string[]): Map<string, string> | Failure {
  const images = new Map<string, string>();
  const invalid: string[] = [];
  for (const a of assignments) {
    const eq = a.indexOf('=');
    if (eq > 0) images.set(a.slice(0, eq), a.slice(eq + 1));
    else invalid.push(a);
  }
  if (invalid.length > 0) return { error: `error: invalid image format: ${invalid.join(', ')}` };
  if (images.size < 1) return { error: 'error: at least one image update is required' };
  if (images.size > 1 && images.has('*')) return { error: 'error: all containers are already specified by *, but saw more than one container_name=container_image pairs' };
  return images;
}

/** Where each kind keeps its pod spec (polymorphichelpers.UpdatePodSpecForObject). */
function podSpecPath(kind: string): string[] | undefined {
  switch (kind) {
    case 'Pod':
      return ['spec'];
    case 'ReplicationController':
    case 'Deployment':
    case 'DaemonSet':
    case 'ReplicaSet':
    case 'StatefulSet':
    case 'Job':
      return ['spec', 'template', 'spec'];
    case 'CronJob':
      return ['spec', 'jobTemplate', 'spec', 'template', 'spec'];
    default:
      return undefined;
  }
}

/** Rebuilds `obj` along `path`, replacing what is at its end. */
function updateAt(obj: Obj, path: readonly string[], fn: (at: Obj) => Obj): Obj {
  const [head, ...rest] = path;
  if (head === undefined) return fn(obj);
  return { ...obj, [head]: updateAt(o(obj[head]), rest, fn) };
}

export interface SetImageResult {
  /** The object with its new images; absent when nothing changed (kubectl then sends nothing and prints nothing). */
  object?: KubeObject;
  /** "deployment.apps/web image updated", with object. */
  message?: string;
  /** The stderr text, possibly alongside an object (a name not found among others that were). */
  error?: string;
}

/** `kubectl set image KIND/NAME container=image...` ("*" for every container, init containers included). */
export function setImage(obj: KubeObject, assignments: readonly string[]): SetImageResult {
  const images = parseImageAssignments(assignments);
  if (!(images instanceof Map)) return images;
  const path = podSpecPath(obj.kind);
  const t = RESOURCES.find((r) => r.kind === obj.kind);
  const name = obj.metadata.name ?? '';
  if (path === undefined) {
    // info.ObjectName() and the Go type (%T) of the decoded object, e.g. "*v1.Service".
    const version = obj.apiVersion.split('/').pop() ?? '';
    return { error: `error: ${t?.plural ?? obj.kind.toLowerCase()}/${name} the object is not a pod or does not have a pod template: *${version}.${obj.kind}` };
  }
  const errors: string[] = [];
  let changed = false;
  const updated = updateAt(obj, path, (spec) => {
    const next = { ...spec };
    for (const [container, image] of images) {
      let found = false;
      for (const field of ['initContainers', 'containers']) {
        if (!Array.isArray(next[field])) continue;
        next[field] = (next[field] as Obj[]).map((c) => {
          if (c.name !== container && container !== '*') return c;
          found = true;
          if (c.image !== image) changed = true;
          return { ...c, image };
        });
      }
      if (!found) errors.push(`error: unable to find container named "${container}"`);
    }
    return next;
  }) as KubeObject;
  const error = errors.length > 0 ? errors.join('\n') : undefined;
  if (!changed) return error === undefined ? {} : { error };
  const ref = t ? objectRef(t, name) : `${obj.kind.toLowerCase()}${obj.kind === 'CronJob' ? '.batch' : ''}/${name}`;
  return { object: updated, message: `${ref} image updated`, ...(error === undefined ? {} : { error }) };
}
