import type { KubeObject } from '../../engine/apiserver/apiObjects';
import type { ApiCallResult } from '../../engine/apiserver/apiClient';
import { fail, type KubectlCommand, type KubectlResult } from '../kubectlEnv';
import { readManifests } from '../manifests';
import { formatStatus, objectRef } from '../printers';
import { canonicalJson, sortKeys, threeWayMerge } from '../threeWayMerge';
import { clientFor } from './client';

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * `kubectl apply -f -`: creates what does not exist, and updates what does by the three-way
 * merge against the last-applied-configuration annotation, so a field removed from the file
 * is removed from the object while fields others set are kept. "created", "configured" or
 * "unchanged" per object; a stale read is retried, as kubectl retries a conflict.
 */
export const apply: KubectlCommand = (env, _args, flags, stdin, done) => {
  const read = readManifests(flags, stdin);
  if ('error' in read) return done(fail(read.error));
  const client = clientFor(env, flags);
  if ('error' in client) return done(fail(client.error));
  const dryRun = flags.dryRun ?? 'none';
  const suffix = dryRun === 'client' ? ' (dry run)' : dryRun === 'server' ? ' (server dry run)' : '';
  let stdout = '';
  let stderr = '';
  const finish = (): void => done({ exitCode: stderr === '' ? 0 : 1, stdout, stderr } satisfies KubectlResult);
  const failed = (r: ApiCallResult, verb: string, source: string): boolean => {
    if (!r.ok) stderr += `${r.error}\n`;
    else if (!r.result.ok) stderr += formatStatus(r.result.status, `error when ${verb} "${source}": `);
    else return false;
    return true;
  };

  const next = (i: number, attempt = 0): void => {
    const doc = read.docs[i];
    if (doc === undefined) return finish();
    if ('error' in doc) {
      stderr += `${doc.error}\n`;
      return next(i + 1);
    }
    const { type, name } = doc;
    const namespace = type.namespaced ? (flags.namespace ?? doc.object.metadata?.namespace ?? 'default') : undefined;
    const config = withLastApplied(doc.object, namespace);
    const nsOpt = namespace === undefined ? {} : { namespace };
    client.request({ verb: 'get', resource: type.plural, name, ...nsOpt }, (got) => {
      if (got.ok && !got.result.ok && got.result.status.code === 404) {
        if (dryRun === 'client') {
          stdout += `${objectRef(type, name)} created${suffix}\n`;
          return next(i + 1);
        }
        return client.request({ verb: 'create', body: config, ...nsOpt, ...(dryRun === 'server' ? { dryRun: true } : {}) }, (r) => {
          if (!failed(r, 'creating', doc.source)) stdout += `${objectRef(type, name)} created${suffix}\n`;
          next(i + 1);
        });
      }
      if (failed(got, 'retrieving current configuration of', doc.source)) return next(i + 1);
      const live = (got as { result: { value: unknown } }).result.value as KubeObject;
      const original = parseLastApplied(live);
      const merged = threeWayMerge(original, config, live) as KubeObject;
      if (canonicalJson(merged) === canonicalJson(live)) {
        stdout += `${objectRef(type, name)} unchanged${suffix}\n`;
        return next(i + 1);
      }
      if (dryRun === 'client') {
        stdout += `${objectRef(type, name)} configured${suffix}\n`;
        return next(i + 1);
      }
      client.request({ verb: 'update', body: merged, ...nsOpt, ...(dryRun === 'server' ? { dryRun: true } : {}) }, (r) => {
        // Somebody changed the object between our read and our write: read again and re-merge.
        if (r.ok && !r.result.ok && r.result.status.reason === 'Conflict' && attempt < 4) return next(i, attempt + 1);
        if (!failed(r, 'applying patch to', doc.source)) stdout += `${objectRef(type, name)} configured${suffix}\n`;
        next(i + 1);
      });
    });
  };
  next(0);
};

/** The configuration as kubectl records it: the object with its namespace, annotated with itself. */
function withLastApplied(obj: KubeObject, namespace: string | undefined): KubeObject {
  const metadata = { ...obj.metadata, ...(namespace === undefined ? {} : { namespace }) };
  const annotations = { ...(metadata.annotations ?? {}) };
  delete annotations[LAST_APPLIED];
  const recorded = { ...obj, metadata: { ...metadata, annotations } };
  return { ...obj, metadata: { ...metadata, annotations: { ...annotations, [LAST_APPLIED]: `${JSON.stringify(sortKeys(recorded))}\n` } } };
}

function parseLastApplied(live: KubeObject): unknown {
  const text = live.metadata.annotations?.[LAST_APPLIED];
  if (text === undefined) return {};
  try {
    return JSON.parse(text);
  } catch {
    return {};
  }
}
