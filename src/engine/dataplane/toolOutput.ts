import { DNS_SERVICE_IP } from './dns';

/**
 * How one request ended, as the client saw it: answered (with an HTTP status), or not — the name
 * did not resolve, the connection was refused (no endpoint, nothing listening), or nothing came
 * back (a dead node, a partition, a packet dropped by network policy).
 */
export type RequestResult =
  | { readonly kind: 'ok'; readonly ip: string; readonly status: number; readonly body: string }
  | { readonly kind: 'dns'; readonly tried: readonly string[]; readonly timedOut: boolean }
  | { readonly kind: 'refused'; readonly ip: string }
  | { readonly kind: 'timeout'; readonly ip: string };

export interface ToolRun {
  readonly tool: 'wget' | 'curl' | 'nslookup';
  readonly host: string;
  readonly port: number;
  readonly path: string;
  readonly quiet: boolean;
  readonly failOnHttpError: boolean;
  /** A time-out was given (wget -T): wget's own alarm ends the wait, not the kernel's connect time-out. */
  readonly timeoutSet?: boolean;
}

/** BusyBox wget's and curl's lines for one result, and the exit code, as they print them. */
export function toolOutput(run: ToolRun, r: RequestResult, elapsedMs: number): { lines: string[]; code: number } {
  if (run.tool === 'wget') return wget(run, r);
  if (run.tool === 'curl') return curl(run, r, elapsedMs);
  return { lines: [], code: 0 };
}

function wget(run: ToolRun, r: RequestResult): { lines: string[]; code: number } {
  const hostPort = run.port === 80 ? run.host : `${run.host}:${run.port}`;
  switch (r.kind) {
    case 'dns':
      return { lines: [`wget: bad address '${hostPort}'`], code: 1 };
    case 'refused':
      return { lines: [...connecting(run, r.ip), `wget: can't connect to remote host (${r.ip}): Connection refused`], code: 1 };
    case 'timeout':
      // With -T wget's alarm fires first; without it the kernel gives up on the connect (~127 s).
      return { lines: [...connecting(run, r.ip), run.timeoutSet === true ? 'wget: download timed out' : `wget: can't connect to remote host (${r.ip}): Connection timed out`], code: 1 };
    case 'ok': {
      if (r.status >= 400) return { lines: [...connecting(run, r.ip), `wget: server returned error: HTTP/1.1 ${r.status} ${statusText(r.status)}`], code: 1 };
      const body = bodyLines(r.body);
      if (run.quiet) return { lines: body, code: 0 };
      const size = r.body.length;
      return { lines: [...connecting(run, r.ip), 'writing to stdout', ...body, `-                    100% |********************************|   ${size}  0:00:00 ETA`, 'written to stdout'], code: 0 };
    }
  }
}

function connecting(run: ToolRun, ip: string): string[] {
  return run.quiet ? [] : [`Connecting to ${run.host}${run.port === 80 ? '' : `:${run.port}`} (${ip}:${run.port})`];
}

function curl(run: ToolRun, r: RequestResult, elapsedMs: number): { lines: string[]; code: number } {
  // -s hides the error messages too (unless -S); the exit code says what happened.
  const say = (line: string): string[] => (run.quiet ? [] : [line]);
  switch (r.kind) {
    case 'dns':
      return { lines: say(`curl: (6) Could not resolve host: ${run.host}`), code: 6 };
    case 'refused':
      return { lines: say(`curl: (7) Failed to connect to ${run.host} port ${run.port} after ${Math.max(1, elapsedMs)} ms: Couldn't connect to server`), code: 7 };
    case 'timeout':
      return { lines: say(`curl: (28) Failed to connect to ${run.host} port ${run.port} after ${elapsedMs} ms: Timeout was reached`), code: 28 };
    case 'ok':
      if (r.status >= 400 && run.failOnHttpError) return { lines: say(`curl: (22) The requested URL returned error: ${r.status}`), code: 22 };
      return { lines: bodyLines(r.body), code: 0 };
  }
}

/** BusyBox nslookup's answer for a name (its search list tried in order on failure). */
export function nslookupOutput(r: { ok: true; fqdn: string; ips: readonly string[] } | { ok: false; tried: readonly string[]; timedOut: boolean }): { lines: string[]; code: number } {
  if (!r.ok && r.timedOut) return { lines: [';; connection timed out; no servers could be reached', ''], code: 1 };
  const head = [`Server:\t\t${DNS_SERVICE_IP}`, `Address:\t${DNS_SERVICE_IP}:53`, ''];
  if (!r.ok) return { lines: [...head, ...r.tried.flatMap((n) => [`** server can't find ${n}: NXDOMAIN`, ''])], code: 1 };
  return { lines: [...head, ...r.ips.flatMap((ip) => [`Name:\t${r.fqdn}`, `Address: ${ip}`]), ''], code: 0 };
}

function bodyLines(body: string): string[] {
  const lines = body.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

function statusText(status: number): string {
  return ({ 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 404: 'Not Found' } as Record<number, string>)[status] ?? 'Error';
}
