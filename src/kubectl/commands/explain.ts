import { explain as explainTarget } from '../explain';
import { fail, flagBool, flagString, type KubectlCommand } from '../kubectlEnv';

/**
 * `kubectl explain RESOURCE[.FIELD…] [--recursive] [--api-version GROUP/VERSION]`, from the
 * OpenAPI schemas the host loads apart from the engine (env.explainSchemas).
 */
export const explain: KubectlCommand = (env, args, flags, _stdin, done) => {
  if (args.length > 1) return done(fail('error: We accept only this format: explain RESOURCE'));
  const output = flags.output ?? 'plaintext';
  if (output !== 'plaintext') return done(fail(`error: --output=${output} is not available in this playground: explain prints the plaintext format only`));
  if (env.explainSchemas === undefined) return done(fail('error: the API documentation is still loading: try kubectl explain again in a moment'));
  const apiVersion = flagString(flags, 'api-version');
  done(explainTarget(env.explainSchemas, args[0], { recursive: flagBool(flags, 'recursive'), ...(apiVersion === undefined ? {} : { apiVersion }) }));
};
