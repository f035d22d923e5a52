import type { KubeObject } from '../../engine/apiserver/apiObjects';
import type { ListObject } from '../../engine/apiserver/apiServer';
import { apiVersionOf, resolveResource } from '../../engine/apiserver/resources';
import { humanDuration } from '../../engine/duration';
import { parseRfc3339 } from '../../engine/virtualTime';
import { fail, flagBool, flagList, flagString, type KubectlCommand } from '../kubectlEnv';
import { formatStatus, tryPrintData } from '../printers';
import { tabular } from '../tabular';
import { clientFor } from './client';

type Obj = Record<string, unknown>;
const o = (v: unknown): Obj => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The time kubectl events sorts by: the series' last sighting, else lastTimestamp, else eventTime. */
function eventTime(e: KubeObject): number {
  const t = e.series ? str(o(e.series).lastObservedTime) : str(e.lastTimestamp) || str(e.eventTime);
  return parseRfc3339(t) ?? Number.NEGATIVE_INFINITY;
}

const since = (t: string, now: number): string => {
  const at = parseRfc3339(t);
  return at === undefined ? '<unknown>' : humanDuration(now - at);
};

/** LAST SEEN as kubectl events writes it: "5s", or "5s (x3 over 2m)" for a repeated event. */
function interval(e: KubeObject, now: number): string {
  const first = e.eventTime ? since(str(e.eventTime), now) : since(str(e.firstTimestamp), now);
  const series = o(e.series);
  if (e.series) return `${since(str(series.lastObservedTime), now)} (x${Number(series.count ?? 0)} over ${first})`;
  if (Number(e.count ?? 0) > 1) return `${since(str(e.lastTimestamp), now)} (x${Number(e.count)} over ${first})`;
  return first;
}

/** `--for pod/web` → the field selector kubectl events lists with. */
function forSelector(target: string): { selector: string } | { error: string } {
  if (!target.includes('/')) return { error: 'error: --for must be in resource/name form' };
  const parts = target.split('/');
  if (parts.length !== 2) return { error: 'error: arguments in resource/name form may not have more than one slash' };
  const [resource = '', name = ''] = parts;
  const type = resolveResource(resource.toLowerCase());
  if ('error' in type) return { error: `error: no matches for /, Resource=${resource.toLowerCase()}` };
  return { selector: `involvedObject.kind=${type.kind},involvedObject.apiVersion=${apiVersionOf(type)},involvedObject.name=${name}` };
}

/**
 * `kubectl events [-n NS | -A] [--for TYPE/NAME] [--types Normal,Warning] [--no-headers] [-o yaml|json|name]`:
 * the namespace's events oldest first, as LAST SEEN, TYPE, REASON, OBJECT (Kind/name) and MESSAGE.
 */
export const events: KubectlCommand = (env, _args, flags, _stdin, done) => {
  if (flagBool(flags, 'watch')) return done(fail('error: --watch is not available in this playground: run kubectl events again to see new events'));
  const output = flags.output ?? '';
  if (!['', 'yaml', 'json', 'name'].includes(output) && !output.startsWith('jsonpath=')) {
    return done(fail(`error: unable to match a printer suitable for the output format "${output}", allowed formats are: json,jsonpath,name,yaml`));
  }
  const target = flagString(flags, 'for');
  const forSel = target === undefined ? undefined : forSelector(target);
  if (forSel !== undefined && 'error' in forSel) return done(fail(forSel.error));
  const types = [...new Set(flagList(flags, 'types').flatMap((t) => t.split(',')))].sort();
  if (types.some((t) => !['normal', 'warning'].includes(t.toLowerCase()))) return done(fail('error: valid --types are Normal or Warning'));
  const client = clientFor(env, flags);
  if ('error' in client) return done(fail(client.error));
  const namespace = flags.namespace ?? 'default';
  const req = { verb: 'list' as const, resource: 'events', ...(flags.allNamespaces ? {} : { namespace }), ...(forSel === undefined ? {} : { fieldSelector: forSel.selector }) };
  client.request(req, (r) => {
    if (!r.ok) return done(fail(r.error));
    if (!r.result.ok) return done(fail(formatStatus(r.result.status)));
    const items = (r.result.value as ListObject).items.filter((e) => types.length === 0 || types.some((t) => t.toLowerCase() === str(e.type).toLowerCase()));
    if (items.length === 0) return done({ exitCode: 0, stdout: '', stderr: flags.allNamespaces ? 'No events found.\n' : `No events found in ${namespace} namespace.\n` });
    // A stable sort by time keeps the server's order among events of the same second.
    const sorted = items.map((e, i) => ({ e, i })).sort((a, b) => eventTime(a.e) - eventTime(b.e) || a.i - b.i).map(({ e }) => e);
    if (output !== '') {
      const p = tryPrintData(output, { apiVersion: 'v1', items: sorted, kind: 'EventList', metadata: {} });
      return done('error' in p ? fail(p.error) : { exitCode: 0, stdout: p.stdout, stderr: '' });
    }
    const now = env.world.now;
    const head = [...(flags.allNamespaces ? ['NAMESPACE'] : []), 'LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'];
    const rows = sorted.map((e) => {
      const io = o(e.involvedObject);
      return [...(flags.allNamespaces ? [e.metadata.namespace ?? ''] : []), interval(e, now), str(e.type), str(e.reason), `${str(io.kind)}/${str(io.name)}`, str(e.message).trim()];
    });
    done({ exitCode: 0, stdout: tabular(flagBool(flags, 'no-headers') ? rows : [head, ...rows]), stderr: '' });
  });
};
