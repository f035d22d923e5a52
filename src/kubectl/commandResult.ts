/** What a command prints and how it ends, as a shell would see it. */
export interface CommandResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  /**
   * How much of the start of stderr was written before anything on stdout (kubectl's warnings
   * come first): a console shows that part, then stdout, then the rest of stderr.
   */
  readonly stderrFirst?: number;
}

/** A command's output in the order a terminal shows it: stderr written first (warnings), stdout, the rest of stderr. */
export function terminalOrder(r: Pick<CommandResult, 'stdout' | 'stderr' | 'stderrFirst'>): { readonly ahead: string; readonly stdout: string; readonly rest: string } {
  const ahead = r.stderr.slice(0, r.stderrFirst ?? 0);
  return { ahead, stdout: r.stdout, rest: r.stderr.slice(ahead.length) };
}

/** The result with `text` written to stderr before everything else (kubectl's warnings and notes such as "Defaulted container …"). */
export function stderrAhead<R extends CommandResult>(r: R, text: string): R {
  if (text === '') return r;
  return { ...r, stderr: `${text}${r.stderr}`, stderrFirst: text.length + (r.stderrFirst ?? 0) };
}
