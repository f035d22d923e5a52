import type { KubeObject } from '../../engine/apiserver/apiObjects';
import { resolveResource, type ResourceType } from '../../engine/apiserver/resources';
import { describeObject, relatedQueries, type DescribeContext } from '../describe';
import { fail, flagBool, type KubectlCommand, type KubectlResult } from '../kubectlEnv';
import { formatStatus } from '../printers';
import type { ApiClient } from '../../engine/apiserver/apiClient';
import { clientFor } from './client';
import { fetchList, isResult } from './target';

/**
 * `kubectl describe TYPE [NAME_PREFIX…] [-l selector] [-A]` (also TYPE/NAME): each object with
 * what its describer needs (pods on a node, ReplicaSets of a Deployment, …) and its events.
 * A name that matches no object exactly describes every object whose name starts with it, as
 * kubectl does.
 */
export const describe: KubectlCommand = (env, args, flags, _stdin, done) => {
  const [first, ...names] = args;
  if (first === undefined) {
    return done(fail('You must specify the type of resource to describe. Use "kubectl api-resources" for a complete list of supported resources.\n\nerror: Required resource not specified.'));
  }
  const slash = first.indexOf('/');
  const type = resolveResource(slash >= 0 ? first.slice(0, slash) : first);
  if ('error' in type) return done(fail(`error: ${type.error}`));
  if (slash >= 0) names.unshift(first.slice(slash + 1));
  const client = clientFor(env, flags);
  if ('error' in client) return done(fail(client.error));
  const namespace = type.namespaced && !flags.allNamespaces ? (flags.namespace ?? 'default') : undefined;
  const texts: string[] = [];
  let stderr = '';
  const finish = (): void => done({ exitCode: stderr === '' ? 0 : 1, stdout: texts.join('\n\n'), stderr });

  const describeAll = (objects: KubeObject[], i = 0): void => {
    const o = objects[i];
    if (o === undefined) return finish();
    context(client, o, env.world.now, flagBool(flags, 'show-events') || !flags.values.has('show-events'), (ctx) => {
      if (isResult(ctx)) {
        stderr += ctx.stderr;
        return describeAll(objects, i + 1);
      }
      texts.push(describeObject(o, ctx));
      describeAll(objects, i + 1);
    });
  };

  if (names.length === 0) {
    return fetchList(client, type.plural, { ...(namespace === undefined ? {} : { namespace }), ...(flags.selector === undefined ? {} : { labelSelector: flags.selector }) }, (items) => {
      if (isResult(items)) return done(items);
      if (items.length === 0) return done({ exitCode: 0, stdout: '', stderr: namespace === undefined ? 'No resources found\n' : `No resources found in ${namespace} namespace.\n` });
      describeAll(items);
    });
  }
  const found: KubeObject[] = [];
  const byName = (j: number): void => {
    const name = names[j];
    if (name === undefined) return describeAll(found);
    lookup(client, type, namespace, name, (r) => {
      if (isResult(r)) stderr += r.stderr;
      else found.push(...r);
      byName(j + 1);
    });
  };
  byName(0);
};

/** The object of that name, or else every object whose name starts with it. */
function lookup(client: ApiClient, type: ResourceType, namespace: string | undefined, name: string, done: (r: KubeObject[] | KubectlResult) => void): void {
  client.request({ verb: 'get', resource: type.plural, name, ...(namespace === undefined ? {} : { namespace }) }, (r) => {
    if (!r.ok) return done(fail(r.error));
    if (r.result.ok) return done([r.result.value as KubeObject]);
    const notFound = fail(formatStatus(r.result.status));
    if (r.result.status.code !== 404) return done(notFound);
    fetchList(client, type.plural, namespace === undefined ? {} : { namespace }, (items) => {
      if (isResult(items)) return done(items);
      const prefixed = items.filter((o) => (o.metadata.name ?? '').startsWith(name));
      done(prefixed.length > 0 ? prefixed : notFound);
    });
  });
}

/** Runs the related queries and fetches the events an object's describer needs. */
function context(client: ApiClient, o: KubeObject, now: number, showEvents: boolean, done: (ctx: DescribeContext | KubectlResult) => void): void {
  const queries = relatedQueries(o);
  const ctx: { -readonly [K in keyof DescribeContext]: DescribeContext[K] } = { now, events: [], showEvents };
  const next = (i: number): void => {
    const q = queries[i];
    if (q === undefined) {
      if (!showEvents) return done(ctx);
      // A Node's events name it by its name in involvedObject.uid (the kubelet records them so), so no uid for nodes.
      const uid = o.kind === 'Node' || o.metadata.uid === undefined ? '' : `,involvedObject.uid=${o.metadata.uid}`;
      const fieldSelector = `involvedObject.name=${o.metadata.name ?? ''},involvedObject.kind=${o.kind}${uid}`;
      return fetchList(client, 'events', { ...(o.metadata.namespace === undefined ? {} : { namespace: o.metadata.namespace }), fieldSelector }, (events) => {
        if (isResult(events)) return done(events);
        ctx.events = events;
        done(ctx);
      });
    }
    if (q.verb === 'get') {
      return client.request({ verb: 'get', resource: q.resource, name: q.name ?? '', ...(q.namespace === undefined ? {} : { namespace: q.namespace }) }, (r) => {
        if (q.into === 'lease') ctx.lease = r.ok && r.result.ok ? (r.result.value as KubeObject) : null;
        next(i + 1);
      });
    }
    fetchList(client, q.resource, { ...(q.namespace === undefined ? {} : { namespace: q.namespace }), ...(q.labelSelector ? { labelSelector: q.labelSelector } : {}), ...(q.fieldSelector ? { fieldSelector: q.fieldSelector } : {}) }, (items) => {
      if (isResult(items)) return done(items);
      if (q.into !== 'lease') ctx[q.into] = items;
      next(i + 1);
    });
  };
  next(0);
}
