import { describe, expect, it } from 'vitest';
import { Session } from '../scenario/session';

/** curl on the learner's laptop: its errors, worded and numbered as curl's, before and after it reaches the cluster. */
describe('curl from outside the cluster', () => {
  const session = new Session({ seed: 1 });
  const curl = (line: string) => session.run({ kind: 'curl', command: line });

  it('says what is wrong with the command line, with curl\'s exit codes', () => {
    expect(curl('')).toEqual({ exitCode: 2, stdout: '', stderr: "curl: no URL specified\ncurl: try 'curl --help' for more information\n" });
    expect(curl('--insecure http://worker-1/').stderr).toBe("curl: option --insecure: is unknown\ncurl: try 'curl --help' for more information\n");
    expect(curl('-m soon http://worker-1/').stderr).toMatch(/^curl: option -m: expected a proper numerical parameter\n/);
    expect(curl('ftp://worker-1/file')).toEqual({ exitCode: 1, stdout: '', stderr: 'curl: (1) Protocol "ftp" not supported\n' });
  });

  it('resolves only nodes out here, and is refused on a port no Service opened', () => {
    expect(curl('http://web/')).toEqual({ exitCode: 6, stdout: '', stderr: 'curl: (6) Could not resolve host: web\n' });
    expect(curl('-s http://web/')).toEqual({ exitCode: 6, stdout: '', stderr: '' });
    expect(curl('http://worker-1:30080/')).toMatchObject({ exitCode: 7, stderr: expect.stringMatching(/^curl: \(7\) Failed to connect to worker-1 port 30080 after \d+ ms: Couldn't connect to server\n$/) });
  });
});
