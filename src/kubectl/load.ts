import type { DataPlane } from '../engine/dataplane/dataPlane';
import { loadUrl, tallyText } from '../engine/dataplane/dataPlane';
import { humanDuration } from '../engine/duration';
import { parseUrl, urlScheme } from '../engine/kubelet/teaching';
import type { World } from '../engine/world';
import type { CommandResult } from './etcdctl/etcdctlEnv';
import { shellWords } from './shellWords';
import { tabular } from './tabular';

/** Requests a second when --rate is not given. */
export const DEFAULT_LOAD_RATE = 10;
/** More than this is a denial of service, not a lesson; less than this is hardly a load. */
export const MAX_LOAD_RATE = 1_000;
export const MIN_LOAD_RATE = 0.1;
/** The list sums this many of the newest completed seconds. */
const RECENT_SECONDS = 10;

export const LOAD_USAGE = `usage: load URL [--rate N]   send N requests a second (default ${DEFAULT_LOAD_RATE}) from this laptop until stopped
       load                  list the loads running, with the last ${RECENT_SECONDS} s of each
       load stop [URL]       stop one load, or all of them`;

const fail = (message: string): CommandResult => ({ exitCode: 1, stdout: '', stderr: `load: ${message}\n` });

/**
 * `load`: steady traffic from the learner's laptop, outside the cluster — what a load tool such
 * as hey or ab would send, kept running in the background. It enters the cluster the way outside
 * traffic does, through a node's NodePort (`load http://worker-1:30080/ --rate 20`), so killing
 * that node or cutting it off shows up as failed requests here and in the Traffic chart.
 */
export function runLoad(world: World, dataPlane: DataPlane, fromHost: string, line: string): CommandResult {
  let words: string[];
  try {
    words = shellWords(line);
  } catch (err) {
    return fail((err as Error).message);
  }
  if (words.length === 0) return list(world, dataPlane);
  if (words[0] === 'stop') return stop(dataPlane, words.slice(1));
  if (words[0] === '-h' || words[0] === '--help') return { exitCode: 0, stdout: `${LOAD_USAGE}\n`, stderr: '' };
  let rate = DEFAULT_LOAD_RATE;
  let url: string | undefined;
  for (let i = 0; i < words.length; i++) {
    const w = words[i] ?? '';
    const inline = /^--rate=(.*)$/.exec(w);
    if (w === '--rate' || w === '-r' || inline !== null) {
      const text = inline !== null ? inline[1] : words[++i];
      const flag = inline !== null ? '--rate' : w;
      if (text === undefined || text === '') return fail(`flag needs an argument: ${flag}\n${LOAD_USAGE}`);
      // Decimal numbers only: "0x10" and "1e3" are not rates anyone types on purpose.
      if (!/^\d+(\.\d+)?$/.test(text)) return fail(`invalid argument "${text}" for "${flag}": requests per second must be a number such as 20 or 2.5`);
      const n = Number(text);
      if (n < MIN_LOAD_RATE || n > MAX_LOAD_RATE) return fail(`invalid argument "${text}" for "${flag}": from ${MIN_LOAD_RATE} to ${MAX_LOAD_RATE} requests per second`);
      rate = n;
    } else if (w === '-h' || w === '--help') return { exitCode: 0, stdout: `${LOAD_USAGE}\n`, stderr: '' };
    else if (w.startsWith('-')) return fail(`unknown flag: ${w}\n${LOAD_USAGE}`);
    else if (url !== undefined) return fail(`one URL at a time (got "${url}" and "${w}")`);
    else url = w;
  }
  if (url === undefined) return fail(`no URL given\n${LOAD_USAGE}`);
  const scheme = urlScheme(url);
  // The simulated servers speak plain HTTP; there is no TLS to model.
  if (scheme !== undefined && scheme.toLowerCase() !== 'http') return fail(`${scheme} is not a protocol load speaks: write the URL as http://HOST:PORT/PATH`);
  const parsed = parseUrl(url);
  if (parsed === undefined) return fail(`"${url}" is not a URL: write it as http://HOST:PORT/PATH`);
  // Host names are case-insensitive.
  const target = { ...parsed, host: parsed.host.toLowerCase() };
  if (target.port < 1 || target.port > 65_535) return fail(`port ${target.port} in "${url}" is out of range (1-65535)`);
  // Only nodes are known by name out here: a Service's name is cluster DNS, which the laptop does not use.
  if (!dataPlane.resolvesFromOutside(target.host)) return fail(`could not resolve host "${target.host}": from outside the cluster only nodes' names and addresses work (a NodePort: http://NODE:NODEPORT/)`);
  const started = dataPlane.startLoad(fromHost, target, rate);
  return {
    exitCode: 0,
    stdout: `sending ${rateText(rate)} requests/s to ${started.url} from this laptop (outside the cluster); "load stop" ends it\n`,
    stderr: '',
  };
}

function stop(dataPlane: DataPlane, args: readonly string[]): CommandResult {
  if (args.includes('-h') || args.includes('--help')) return { exitCode: 0, stdout: `${LOAD_USAGE}\n`, stderr: '' };
  const flag = args.find((a) => a.startsWith('-'));
  if (flag !== undefined) return fail(`unknown flag for stop: ${flag}\n${LOAD_USAGE}`);
  if (args.length > 1) return fail(`stop takes one URL at most\n${LOAD_USAGE}`);
  const arg = args[0];
  let url: string | undefined;
  if (arg !== undefined) {
    const target = parseUrl(arg);
    if (target === undefined) return fail(`"${arg}" is not a URL: write it as http://HOST:PORT/PATH`);
    const wanted = loadUrl({ ...target, host: target.host.toLowerCase() });
    url = dataPlane.loads().find((l) => l.url === wanted)?.url;
    if (url === undefined) return fail(`no load to ${wanted} is running (type "load" to list them)`);
  }
  const stopped = dataPlane.stopLoad(url);
  if (stopped.length === 0) return { exitCode: 0, stdout: 'no load is running\n', stderr: '' };
  return { exitCode: 0, stdout: stopped.map((l) => `stopped the load to ${l.url}\n`).join(''), stderr: '' };
}

function list(world: World, dataPlane: DataPlane): CommandResult {
  const loads = dataPlane.loads();
  if (loads.length === 0) return { exitCode: 0, stdout: 'no load is running; start one through a NodePort with: load http://NODE:NODEPORT/ --rate 20\n', stderr: '' };
  const now = world.now;
  const to = Math.floor(now / 1000) * 1000;
  const rows = [['URL', 'RATE', 'AGE', `LAST ${RECENT_SECONDS}S`]];
  for (const l of loads) {
    const from = Math.max(to - RECENT_SECONDS * 1000, Math.ceil(l.startedAt / 1000) * 1000);
    const t = dataPlane.seriesOf(l.seriesKey)?.total(from, to);
    rows.push([l.url, `${rateText(l.rps)}/s`, humanDuration(now - l.startedAt), t === undefined || t.requests === 0 ? '-' : tallyText(t)]);
  }
  return { exitCode: 0, stdout: tabular(rows), stderr: '' };
}

/** "20", "2.5", "0.25": as typed, without trailing zeros. */
function rateText(n: number): string {
  return String(Number(n.toFixed(3)));
}
