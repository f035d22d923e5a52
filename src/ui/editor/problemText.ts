/**
 * A problem as the narrow problems list shows it: what is wrong, without the preamble that
 * the line already implies (`The Deployment "web" is invalid: `, `Error from server
 * (BadRequest): error when creating "web.yaml": Deployment in version "v1" cannot be
 * handled as a Deployment: `). The marker's hover keeps kubectl's whole message.
 */
export function shortProblemText(message: string): string {
  const first = message.split('\n')[0] ?? '';
  return first
    .replace(/^The \S+ "[^"]*" is invalid: /, '')
    .replace(/^Error from server(?: \(\w+\))?: /, '')
    .replace(/^error when [^"]*"[^"]*": /, '')
    .replace(/^\w+ in version "[^"]*" cannot be handled as a \w+: /, '')
    .replace(/^error: error parsing \S+: error converting YAML to JSON: /, '');
}
