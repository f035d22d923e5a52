import { createFailedMessage, run as buildPod } from '../generators';
import { fail, flagBool, flagList, flagString, type KubectlCommand } from '../kubectlEnv';
import { submitGenerated } from './create';

/**
 * `kubectl run NAME --image=IMAGE [-l k=v] [--env K=V]… [--port N] [--restart P] [--command] [-- ARGS…]`:
 * creates a Pod ("pod/NAME created"); `--dry-run=client -o yaml` prints it instead. There is no
 * terminal to attach to here, so -i, -t and --rm are refused.
 */
export const run: KubectlCommand = (env, args, flags, _stdin, done, afterDashes) => {
  if (flagBool(flags, 'stdin') || flagBool(flags, 'tty') || flagBool(flags, 'rm')) {
    return done(fail('error: interactive sessions (-i, -t, --rm) are not available in this playground: run the pod without them, then use kubectl logs or kubectl describe to see what it did'));
  }
  const opt = (name: string, key: string): Record<string, string> => {
    const v = flagString(flags, name);
    return v === undefined ? {} : { [key]: v };
  };
  const built = buildPod(args, {
    ...opt('image', 'image'),
    ...opt('labels', 'labels'),
    env: flagList(flags, 'env'),
    ...opt('port', 'port'),
    ...opt('restart', 'restart'),
    command: flagBool(flags, 'command'),
    rest: afterDashes,
    ...(flags.namespace === undefined ? {} : { namespace: flags.namespace }),
  });
  submitGenerated(env, flags, built, createFailedMessage, done);
};
