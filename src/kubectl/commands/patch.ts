import type { KubeObject } from '../../engine/apiserver/apiObjects';
import type { Subresource } from '../../engine/apiserver/apiProtocol';
import { canonical } from '../../engine/apiserver/canonical';
import { applyPatch, PatchError, type PatchType } from '../../engine/apiserver/patch';
import type { ResourceType } from '../../engine/apiserver/resources';
import { parseYaml } from '../../scenario/yamlSource';
import { fail, flagString, type KubectlCommand, type KubectlResult } from '../kubectlEnv';
import { formatStatus, objectRef } from '../printers';
import { clientFor } from './client';
import { printEach, printFormatError } from './create';
import { namespaceFor, parseTargets } from './resourceArgs';

const PATCH_TYPES = ['json', 'merge', 'strategic'];
const SUBRESOURCES = ['status', 'scale'];

/** kubectl's yaml.ToJSON: text that starts with "{" is sent as it is; anything else is read as YAML. */
function toJson(text: string): { json: string } | { error: string } {
  if (text.trimStart().startsWith('{')) return { json: text };
  const parsed = parseYaml(text);
  const e = parsed.errors[0];
  if (e !== undefined) return { error: `error: unable to parse "${text}": error converting YAML to JSON: yaml: line ${e.line}: ${e.message}` };
  return { json: JSON.stringify(parsed.documents[0]?.value ?? null) };
}

/**
 * `kubectl patch TYPE NAME… | TYPE/NAME… -p PATCH [--type strategic|merge|json] [--subresource
 * status]`: reads each object, patches it, and says "deployment.apps/web patched", or
 * "patched (no change)" when the server's answer is the object it had.
 */
export const patch: KubectlCommand = (env, args, flags, _stdin, done) => {
  const text = flagString(flags, 'patch') ?? '';
  if (text === '') return done(fail('error: must specify --patch or --patch-file containing the contents of the patch'));
  const typeFlag = flagString(flags, 'type') ?? 'strategic';
  if (!PATCH_TYPES.includes(typeFlag.toLowerCase())) return done(fail(`error: --type must be one of [${PATCH_TYPES.join(' ')}], not "${typeFlag}"`));
  const patchType = typeFlag.toLowerCase() as PatchType;
  const subresource = flagString(flags, 'subresource') ?? '';
  if (subresource !== '' && !SUBRESOURCES.includes(subresource)) return done(fail(`error: invalid subresource value: "${subresource}". Must be one of [${SUBRESOURCES.join(' ')}]`));
  if (subresource === 'scale') return done(fail('error: --subresource=scale is not available in this playground: patch spec.replicas on the object itself'));
  const formatError = printFormatError(flags.output);
  if (formatError !== undefined) return done(fail(formatError));
  const body = toJson(text);
  if ('error' in body) return done(fail(body.error));
  const targets = parseTargets(args, { selecting: false, listWithoutSelector: false });
  if ('error' in targets) return done(fail(targets.error));
  if (targets.kind === 'list') return done(fail('error: resource(s) were provided, but no name was specified'));
  const client = clientFor(env, flags);
  if ('error' in client) return done(fail(client.error));

  const dryRun = flags.dryRun ?? 'none';
  const suffix = dryRun === 'client' ? ' (dry run)' : dryRun === 'server' ? ' (server dry run)' : '';
  const sub = subresource === '' ? {} : { subresource: subresource as Subresource };
  let stdout = '';
  let stderr = '';
  const report = (type: ResourceType, before: KubeObject, after: KubeObject): void => {
    const output = flags.output ?? '';
    if (output !== '') {
      const p = printEach(output, [after]);
      if ('error' in p) stderr += `${p.error}\n`;
      else stdout += p.stdout;
    } else stdout += `${objectRef(type, after.metadata.name ?? '')} ${canonical(before) === canonical(after) ? 'patched (no change)' : 'patched'}${suffix}\n`;
  };
  const next = (i: number): void => {
    const item = targets.items[i];
    if (item === undefined) return done({ exitCode: stderr === '' ? 0 : 1, stdout, stderr } satisfies KubectlResult);
    const namespace = namespaceFor(item.type, { ...flags, allNamespaces: false });
    const where = { resource: item.type.plural, name: item.name, ...(namespace === undefined ? {} : { namespace }), ...sub };
    // kubectl reads the object first, and says "no change" when the patched object equals it.
    client.request({ verb: 'get', ...where }, (got) => {
      if (!got.ok) stderr += `${got.error}\n`;
      else if (!got.result.ok) stderr += formatStatus(got.result.status);
      if (!got.ok || !got.result.ok) return next(i + 1);
      const before = got.result.value as KubeObject;
      if (dryRun === 'client') {
        try {
          report(item.type, before, applyPatch(patchType, before, body.json) as KubeObject);
        } catch (err) {
          if (!(err instanceof PatchError)) throw err;
          stderr += `error: ${err.message}\n`;
        }
        return next(i + 1);
      }
      client.request({ verb: 'patch', ...where, patchType, patch: body.json, ...(dryRun === 'server' ? { dryRun: true } : {}) }, (r) => {
        if (!r.ok) stderr += `${r.error}\n`;
        else if (!r.result.ok) stderr += formatStatus(r.result.status);
        else report(item.type, before, r.result.value as KubeObject);
        next(i + 1);
      });
    });
  };
  next(0);
};
