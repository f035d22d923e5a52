import type { ApiClient } from '../../engine/apiserver/apiClient';
import type { KubeObject } from '../../engine/apiserver/apiObjects';
import type { ResourceType } from '../../engine/apiserver/resources';
import { fail, type KubectlResult } from '../kubectlEnv';
import { formatStatus } from '../printers';

/**
 * Reads an object, changes it, writes it back with the resourceVersion it was read at, and
 * starts over if someone else wrote in between (what kubectl's patch-based commands amount to).
 * `change` returns the new object, or a result to stop with (a refusal such as --overwrite's).
 */
export function modifyObject(
  client: ApiClient,
  type: ResourceType,
  namespace: string | undefined,
  name: string,
  change: (obj: KubeObject) => { readonly object: KubeObject } | { readonly refuse: KubectlResult },
  done: (r: KubectlResult | { readonly updated: KubeObject }) => void,
): void {
  const attempt = (tries: number): void => {
    client.request({ verb: 'get', resource: type.plural, name, ...(namespace === undefined ? {} : { namespace }) }, (got) => {
      if (!got.ok) return done(fail(got.error));
      if (!got.result.ok) return done(fail(formatStatus(got.result.status)));
      const next = change(got.result.value as KubeObject);
      if ('refuse' in next) return done(next.refuse);
      client.request({ verb: 'update', body: next.object, ...(namespace === undefined ? {} : { namespace }) }, (r) => {
        if (!r.ok) return done(fail(r.error));
        if (!r.result.ok && r.result.status.reason === 'Conflict' && tries < 4) return attempt(tries + 1);
        if (!r.result.ok) return done(fail(formatStatus(r.result.status)));
        done({ updated: r.result.value as KubeObject });
      });
    });
  };
  attempt(0);
}
