import { describe, expect, it } from 'vitest';
import { Session } from '../scenario/session';

/**
 * `load` from the console: its flags, its errors (each names what was wrong), and what it
 * starts, lists and stops. What the load's requests meet in the cluster is the scenario
 * nodeport-external-load's business (src/scenario/apps.test.ts).
 */
describe('load', () => {
  const session = new Session({ seed: 1 });
  const load = (line: string) => session.run({ kind: 'load', command: line });

  it('says exactly which argument it cannot use, and starts nothing', () => {
    expect(load('http://worker-1:30080/ --rate').stderr).toMatch(/^load: flag needs an argument: --rate\nusage: load URL/);
    expect(load('http://worker-1:30080/ --rate fast').stderr).toBe('load: invalid argument "fast" for "--rate": requests per second must be a number such as 20 or 2.5\n');
    expect(load('http://worker-1:30080/ --rate 0x10').stderr).toBe('load: invalid argument "0x10" for "--rate": requests per second must be a number such as 20 or 2.5\n');
    expect(load('http://worker-1:30080/ --rate=0').stderr).toBe('load: invalid argument "0" for "--rate": from 0.1 to 1000 requests per second\n');
    expect(load('http://worker-1:30080/ -r 5000').stderr).toBe('load: invalid argument "5000" for "-r": from 0.1 to 1000 requests per second\n');
    expect(load('http://worker-1:30080/ --burst 3').stderr).toMatch(/^load: unknown flag: --burst\n/);
    expect(load('http://a:1/ http://b:2/').stderr).toBe('load: one URL at a time (got "http://a:1/" and "http://b:2/")\n');
    expect(load('ftp://worker-1:21/').stderr).toBe('load: ftp is not a protocol load speaks: write the URL as http://HOST:PORT/PATH\n');
    expect(load('https://worker-1:30443/').stderr).toBe('load: https is not a protocol load speaks: write the URL as http://HOST:PORT/PATH\n');
    // From outside only nodes resolve: a Service name is cluster DNS.
    expect(load('http://web/').stderr).toBe('load: could not resolve host "web": from outside the cluster only nodes\' names and addresses work (a NodePort: http://NODE:NODEPORT/)\n');
    expect(load('http://worker-9:30080/').stderr).toMatch(/^load: could not resolve host "worker-9"/);
    expect(load('http://worker 1/').stderr).toBe('load: one URL at a time (got "http://worker" and "1/")\n');
    expect(load('http://:80/').stderr).toBe('load: "http://:80/" is not a URL: write it as http://HOST:PORT/PATH\n');
    expect(load('http://worker-1:99999/').stderr).toBe('load: port 99999 in "http://worker-1:99999/" is out of range (1-65535)\n');
    expect(load('--rate 5').stderr).toMatch(/^load: no URL given\n/);
    expect(load('"http://worker-1').stderr).toBe('load: unterminated double quote\n');
    expect(load('stop --rate 5').stderr).toMatch(/^load: unknown flag for stop: --rate\n/);
    expect(load('stop -h').stdout).toMatch(/^usage: load URL/);
    expect(load('http://worker-1:30080/ --rate 0').exitCode).toBe(1);
    expect(load('').stdout).toBe('no load is running; start one through a NodePort with: load http://NODE:NODEPORT/ --rate 20\n');
  });

  it('starts a load (the URL written out in full), replaces one to the same URL, lists and stops them', () => {
    expect(load('WORKER-1:30080 --rate 2.5')).toEqual({ exitCode: 0, stdout: 'sending 2.5 requests/s to http://worker-1:30080/ from this laptop (outside the cluster); "load stop" ends it\n', stderr: '' });
    expect(load('http://10.0.1.11:30080/ --rate 0.25').stdout).toContain('sending 0.25 requests/s to http://10.0.1.11:30080/');
    load('stop http://10.0.1.11:30080/');
    expect(load('http://worker-1:30080/ --rate=20').stdout).toContain('sending 20 requests/s to http://worker-1:30080/');
    load('http://worker-2:30080/healthz');
    session.world.runFor(15_000);
    const rows = load('').stdout.split('\n');
    expect(rows[0]).toMatch(/^URL\s+RATE\s+AGE\s+LAST 10S$/);
    // One load per URL: the second replaced the first. Nothing listens on 30080 yet: refused.
    expect(rows[1]).toMatch(/^http:\/\/worker-1:30080\/\s+20\/s\s+15s\s+200 requests, 0 ok \(0%\), 200 failed: 200 connection refused$/);
    expect(rows[2]).toMatch(/^http:\/\/worker-2:30080\/healthz\s+10\/s\s+15s\s+100 requests, 0 ok \(0%\), 100 failed: 100 connection refused$/);
    expect(rows).toHaveLength(4);
    expect(load('stop http://worker-3:30080/').stderr).toBe('load: no load to http://worker-3:30080/ is running (type "load" to list them)\n');
    expect(load('stop worker-1:30080').stdout).toBe('stopped the load to http://worker-1:30080/\n');
    expect(load('stop').stdout).toBe('stopped the load to http://worker-2:30080/healthz\n');
    expect(load('stop').stdout).toBe('no load is running\n');
    // Stopped means stopped: no more requests are counted.
    const series = session.cluster.dataPlane.seriesOf(`outside/${encodeURIComponent('http://worker-1:30080/')}`);
    const sent = series?.total().requests;
    session.world.runFor(5_000);
    expect(series?.total().requests).toBe(sent);
  }, 30_000);
});
