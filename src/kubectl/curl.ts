import { CONNECT_TIMEOUT_MS, type DataPlane } from '../engine/dataplane/dataPlane';
import { toolOutput } from '../engine/dataplane/toolOutput';
import { parseUrl, urlScheme } from '../engine/kubelet/teaching';
import type { World } from '../engine/world';
import type { CommandResult } from './etcdctl/etcdctlEnv';
import { shellWords } from './shellWords';

const USAGE = 'curl: try \'curl --help\' for more information\n';

/**
 * `curl` on the learner's laptop, outside the cluster: reaches a Service through a node's
 * NodePort (`curl http://worker-1:30080/`); ClusterIPs and cluster DNS names do not resolve or
 * route from outside, as on a real cluster. Flags: -s, -S, -f, -m/--max-time, --connect-timeout.
 * An unanswered request takes its time-out in virtual time.
 */
export function runCurl(world: World, dataPlane: DataPlane, fromHost: string, line: string): CommandResult {
  let words: string[];
  try {
    words = shellWords(line);
  } catch (err) {
    return { exitCode: 2, stdout: '', stderr: `curl: ${(err as Error).message}\n` };
  }
  let silent = false;
  let showError = false;
  let fail = false;
  let timeoutMs: number | undefined;
  let url: string | undefined;
  for (let i = 0; i < words.length; i++) {
    const w = words[i] ?? '';
    if (w === '--max-time' || w === '-m' || w === '--connect-timeout') {
      const v = Number(words[++i]);
      if (!Number.isFinite(v) || v <= 0) return { exitCode: 2, stdout: '', stderr: `curl: option ${w}: expected a proper numerical parameter\n${USAGE}` };
      timeoutMs = Math.round(v * 1000);
    } else if (/^-[sSfL]+$/.test(w)) {
      silent ||= w.includes('s');
      showError ||= w.includes('S');
      fail ||= w.includes('f');
    } else if (w === '--silent') silent = true;
    else if (w === '--show-error') showError = true;
    else if (w === '--fail') fail = true;
    else if (w.startsWith('-')) return { exitCode: 2, stdout: '', stderr: `curl: option ${w}: is unknown\n${USAGE}` };
    else url = w;
  }
  if (url === undefined) return { exitCode: 2, stdout: '', stderr: `curl: no URL specified\n${USAGE}` };
  const scheme = urlScheme(url);
  if (scheme !== undefined && !/^https?$/i.test(scheme)) return { exitCode: 1, stdout: '', stderr: `curl: (1) Protocol "${scheme}" not supported\n` };
  const target = parseUrl(url);
  if (target === undefined) return { exitCode: 3, stdout: '', stderr: `curl: (3) URL rejected: Bad hostname\n` };
  const { result } = dataPlane.externalRequest(fromHost, target.host, target.port, target.path);
  const waitMs = result.kind === 'timeout' ? Math.min(timeoutMs ?? CONNECT_TIMEOUT_MS, CONNECT_TIMEOUT_MS) : 0;
  if (waitMs > 0) world.runFor(waitMs);
  const out = toolOutput({ tool: 'curl', host: target.host, port: target.port, path: target.path, quiet: silent && !showError, failOnHttpError: fail }, result, waitMs);
  // curl writes the body to stdout and its complaints to stderr.
  const body = result.kind === 'ok' && out.code === 0 ? out.lines : [];
  const errors = out.code === 0 ? [] : out.lines;
  return { exitCode: out.code, stdout: body.map((l) => `${l}\n`).join(''), stderr: errors.map((l) => `${l}\n`).join('') };
}
