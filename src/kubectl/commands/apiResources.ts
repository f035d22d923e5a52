import { apiVersionOf, RESOURCES } from '../../engine/apiserver/resources';
import { type KubectlCommand, ok } from '../kubectlEnv';
import { tabular } from '../tabular';

/** `kubectl api-resources`: every resource type the API server serves. */
export const apiResources: KubectlCommand = (_env, _args, _flags, _stdin, done) => {
  const rows = [...RESOURCES]
    .sort((a, b) => (a.group === b.group ? (a.plural < b.plural ? -1 : 1) : a.group < b.group ? -1 : 1))
    .map((t) => [t.plural, t.shortNames.join(','), apiVersionOf(t), String(t.namespaced), t.kind]);
  done(ok(tabular([['NAME', 'SHORTNAMES', 'APIVERSION', 'NAMESPACED', 'KIND'], ...rows])));
};
