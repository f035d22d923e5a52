import { type Data, RaftHarness } from './raftHarness';
import { type Entry, MessageType, None, type RaftConfig, type RaftMessage, type Role } from './types';

/**
 * Scripted interaction transcripts for the Raft member, in the manner of etcd's
 * raft `testdata/*.txt` and its datadriven driver: a file is a list of cases,
 * each a command line, `----`, and the output the command printed. The test runs
 * every command through a TranscriptDriver and compares; UPDATE_GOLDEN=1 rewrites
 * the expected blocks instead. The command language is described in
 * testdata/README.md.
 *
 * Pure: the test reads and writes the files, this module only turns text into text.
 */

export interface TranscriptCase {
  /** Comment lines (`# ...`) written just before the command, kept on rewrite. */
  readonly comments: readonly string[];
  readonly command: string;
  readonly expected: string;
  /** 1-based line of the command in the file, for error messages. */
  readonly line: number;
}

const SEPARATOR = '----';
/** Bounds on loops a script could otherwise make endless. */
const STABILIZE_ROUNDS_MAX = 100;
const TICKS_PER_COMMAND_MAX = 1000;
const MEMBERS_MAX = 9;

/** Splits a transcript file into cases. Throws on a command with no `----` after it. */
export function parseTranscript(text: string): TranscriptCase[] {
  const lines = text.split('\n');
  const cases: TranscriptCase[] = [];
  let comments: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = (lines[i] as string).trimEnd();
    i++;
    if (line === '') {
      // A blank line inside a comment block is part of it; blank lines around it are not.
      if (comments.length > 0) comments.push('');
      continue;
    }
    if (line.startsWith('#')) {
      comments.push(line);
      continue;
    }
    const commandLine = i;
    if ((lines[i] ?? '').trimEnd() !== SEPARATOR) {
      throw new Error(`line ${commandLine}: expected "${SEPARATOR}" after the command "${line}"`);
    }
    i++;
    const expected: string[] = [];
    if ((lines[i] ?? '').trimEnd() === SEPARATOR) {
      // etcd's long form, for output with blank lines: ----, ----, output, ----, ----.
      i++;
      while (i < lines.length && !((lines[i] as string).trimEnd() === SEPARATOR && (lines[i + 1] ?? '').trimEnd() === SEPARATOR)) {
        expected.push((lines[i] as string).trimEnd());
        i++;
      }
      i += 2;
    } else {
      while (i < lines.length && (lines[i] as string).trimEnd() !== '') {
        expected.push((lines[i] as string).trimEnd());
        i++;
      }
    }
    while (comments.length > 0 && comments[comments.length - 1] === '') comments.pop();
    cases.push({ comments, command: line, expected: expected.join('\n'), line: commandLine });
    comments = [];
  }
  return cases;
}

/** Writes cases back in the canonical form parseTranscript reads. */
export function formatTranscript(cases: readonly Pick<TranscriptCase, 'comments' | 'command' | 'expected'>[]): string {
  const blocks = cases.map((c) => {
    const out = [...c.comments, c.command, SEPARATOR];
    if (c.expected.split('\n').some((l) => l.trim() === '')) out.push(SEPARATOR, c.expected, SEPARATOR, SEPARATOR);
    else out.push(c.expected);
    return out.join('\n');
  });
  return `${blocks.join('\n\n')}\n`;
}

// ---- formatting --------------------------------------------------------------------------

/** An entry as `term/index label`; the empty entry a new leader appends shows as `(empty)`. */
export function formatEntry(e: Entry<Data>): string {
  return `${e.term}/${e.index} ${e.data === null ? '(empty)' : e.label}`;
}

/**
 * One message on one line, close to etcd's DescribeMessage:
 * `1->2 MsgApp Term:1 Log:1/3 Commit:3 Entries:[1/4 PUT x]`. `Log:` is term/index
 * of the entry before the new ones (MsgApp) or of the candidate's last entry (votes).
 */
export function formatMessage(m: RaftMessage<Data>): string {
  let s = `${m.from}->${m.to} ${m.type} Term:${m.term}`;
  const carriesLog = m.type === MessageType.MsgApp || m.type === MessageType.MsgVote || m.type === MessageType.MsgPreVote;
  if (carriesLog) s += ` Log:${m.logTerm}/${m.index}`;
  else {
    if (m.logTerm !== 0) s += ` LogTerm:${m.logTerm}`;
    if (m.index !== 0 || m.type === MessageType.MsgAppResp || m.type === MessageType.MsgReadIndexResp) s += ` Index:${m.index}`;
  }
  if (m.commit !== 0 || m.type === MessageType.MsgApp || m.type === MessageType.MsgHeartbeat) s += ` Commit:${m.commit}`;
  if (m.entries.length > 0) s += ` Entries:[${m.entries.map(formatEntry).join(', ')}]`;
  if (m.context !== 0) s += ` Context:${m.context}`;
  if (m.reject) s += ` Rejected (Hint: ${m.rejectHint})`;
  else if (m.rejectHint !== 0) s += ` Hint:${m.rejectHint}`;
  return s;
}

function sameEntry(a: Entry<Data>, b: Entry<Data>): boolean {
  return a.index === b.index && a.term === b.term;
}

// ---- command lines -----------------------------------------------------------------------

interface Command {
  readonly name: string;
  /** Arguments without `=`; a parenthesised group stays one token: "(1,2)". */
  readonly args: readonly string[];
  /** key=value arguments; `key=(a,b)` gives ["a", "b"]. */
  readonly options: ReadonlyMap<string, readonly string[]>;
  /** Everything after the command name, as written. */
  readonly rest: string;
}

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  let current = '';
  let depth = 0;
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (depth < 0) throw new Error(`unbalanced ")" in: ${text}`);
    if (depth === 0 && (ch === ' ' || ch === '\t')) {
      if (current !== '') tokens.push(current);
      current = '';
    } else if (!(depth > 0 && (ch === ' ' || ch === '\t'))) {
      current += ch;
    }
  }
  if (depth !== 0) throw new Error(`unbalanced "(" in: ${text}`);
  if (current !== '') tokens.push(current);
  return tokens;
}

function parseGroup(token: string): string[] {
  if (!token.startsWith('(')) return [token];
  if (!token.endsWith(')')) throw new Error(`bad group: ${token}`);
  const inner = token.slice(1, -1);
  return inner === '' ? [] : inner.split(',');
}

function parseCommand(line: string): Command {
  const trimmed = line.trim();
  const space = trimmed.search(/\s/);
  const name = space < 0 ? trimmed : trimmed.slice(0, space);
  const rest = space < 0 ? '' : trimmed.slice(space).trim();
  const args: string[] = [];
  const options = new Map<string, string[]>();
  for (const token of tokenize(rest)) {
    const eq = token.indexOf('=');
    if (eq > 0 && !token.startsWith('(')) options.set(token.slice(0, eq), parseGroup(token.slice(eq + 1)));
    else args.push(token);
  }
  return { name, args, options, rest };
}

function parseCount(text: string, what: string, min: number, max: number): number {
  if (!/^\d+$/.test(text)) throw new Error(`${what} must be a whole number, got "${text}"`);
  const n = Number(text);
  if (n < min || n > max) throw new Error(`${what} must be in [${min}, ${max}], got ${n}`);
  return n;
}

function parseBool(text: string, what: string): boolean {
  if (text === 'true') return true;
  if (text === 'false') return false;
  throw new Error(`${what} must be true or false, got "${text}"`);
}

/** The single value of an option, or undefined when absent. */
function single(cmd: Command, key: string): string | undefined {
  const v = cmd.options.get(key);
  if (v === undefined) return undefined;
  if (v.length !== 1) throw new Error(`${key}= takes one value`);
  return v[0];
}

function allowOnly(cmd: Command, keys: readonly string[]): void {
  for (const k of cmd.options.keys()) {
    if (!keys.includes(k)) throw new Error(`${cmd.name}: unknown option ${k}= (known: ${keys.length === 0 ? 'none' : keys.join(', ')})`);
  }
}

// ---- the driver --------------------------------------------------------------------------

interface Observed {
  readonly role: Role;
  readonly term: number;
}

/**
 * Runs transcript commands against a RaftHarness and prints what happened:
 * messages delivered (at the left margin), and what each caused (indented under
 * it): role and term changes, log changes, messages sent, entries applied and
 * reads made safe.
 * Commands that act on one member directly (campaign, tick, propose, ...) print
 * their effects at the left margin.
 */
export class TranscriptDriver {
  private harness: RaftHarness | undefined;
  private out: string[] = [];

  /** Runs one command line and returns its output ("ok" when it printed nothing). */
  run(line: string): string {
    this.out = [];
    try {
      this.dispatch(parseCommand(line));
    } catch (err) {
      this.out.push(`error: ${err instanceof Error ? err.message : String(err)}`);
    }
    return this.out.length === 0 ? 'ok' : this.out.join('\n');
  }

  private dispatch(cmd: Command): void {
    switch (cmd.name) {
      case 'add-nodes':
        return this.addNodes(cmd);
      case 'campaign':
        return this.onMember(cmd, (h, id) => h.campaign(id));
      case 'tick':
        return this.tick(cmd);
      case 'tick-heartbeat':
        return this.tickHeartbeat(cmd);
      case 'tick-election':
        return this.tickElection(cmd);
      case 'deliver-msgs':
        return this.deliverMsgs(cmd);
      case 'drop':
        return this.drop(cmd);
      case 'stabilize':
        return this.stabilize(cmd);
      case 'partition':
        return this.partition(cmd);
      case 'isolate': {
        allowOnly(cmd, []);
        const id = cmd.args[0];
        if (id === undefined || cmd.args.length !== 1) throw new Error('isolate takes one member id');
        this.env().isolate(this.checkId(id));
        return;
      }
      case 'heal':
        allowOnly(cmd, []);
        this.env().heal();
        return;
      case 'propose':
        return this.propose(cmd);
      case 'read-index':
        return this.readIndex(cmd);
      case 'kill':
        return this.kill(cmd);
      case 'restart':
        return this.restart(cmd);
      case 'status':
        return this.status(cmd);
      case 'log':
        return this.log(cmd);
      case 'raft-state':
        return this.raftState(cmd);
      default:
        throw new Error(`unknown command "${cmd.name}"`);
    }
  }

  // ---- helpers -------------------------------------------------------------------------

  private env(): RaftHarness {
    if (this.harness === undefined) throw new Error('no members yet: start with add-nodes');
    return this.harness;
  }

  private checkId(id: string): string {
    const h = this.env();
    if (!h.ids.includes(id)) throw new Error(`no member ${id} (members: ${h.ids.join(' ')})`);
    return id;
  }

  private checkUp(id: string): string {
    if (this.env().isDown(this.checkId(id))) throw new Error(`${id} is down`);
    return id;
  }

  /** The first argument, as a member that is up. */
  private memberArg(cmd: Command): string {
    const id = cmd.args[0];
    if (id === undefined) throw new Error(`${cmd.name} needs a member id`);
    return this.checkUp(id);
  }

  /** Member ids named in the arguments, or all of them. */
  private idsArg(cmd: Command): string[] {
    const h = this.env();
    if (cmd.args.length === 0) return [...h.ids];
    return cmd.args.map((id) => this.checkId(id));
  }

  private observe(id: string): Observed {
    const m = this.env().member(id);
    return { role: m.role, term: m.term };
  }

  /**
   * Runs an input to one member and prints what it caused: a role or term change,
   * entries cut from and added to its log, the messages it sent, the entries it
   * applied, the reads it may now serve.
   */
  private act(id: string, indent: string, input: () => void): void {
    const h = this.env();
    const before = this.observe(id);
    const sentFrom = h.mailbox.length;
    const appliedFrom = (h.applied.get(id) as Entry<Data>[]).length;
    const readsFrom = (h.readStates.get(id) ?? []).length;
    const logBefore = [...this.storedLog(id)];
    input();
    const after = this.observe(id);
    if (after.role !== before.role || after.term !== before.term) this.out.push(`${indent}${id} became ${after.role} at term ${after.term}`);
    const logAfter = this.storedLog(id);
    let same = 0;
    while (same < logBefore.length && same < logAfter.length && sameEntry(logBefore[same] as Entry<Data>, logAfter[same] as Entry<Data>)) same++;
    const removed = logBefore.slice(same);
    const added = logAfter.slice(same);
    if (removed.length > 0) this.out.push(`${indent}${id} truncated ${removed.map(formatEntry).join(', ')}`);
    if (added.length > 0) this.out.push(`${indent}${id} appended ${added.map(formatEntry).join(', ')}`);
    for (const m of h.mailbox.slice(sentFrom)) this.out.push(`${indent}${formatMessage(m)}`);
    for (const e of (h.applied.get(id) as Entry<Data>[]).slice(appliedFrom)) this.out.push(`${indent}${id} applied ${formatEntry(e)}`);
    for (const r of (h.readStates.get(id) ?? []).slice(readsFrom)) this.out.push(`${indent}${id} ReadState Index:${r.index} Context:${r.context}`);
  }

  /** A member's log as stored (it survives a restart). */
  private storedLog(id: string): readonly Entry<Data>[] {
    return (this.env().storages.get(id) ?? { entries: [] }).entries;
  }

  private onMember(cmd: Command, input: (h: RaftHarness, id: string) => void): void {
    allowOnly(cmd, []);
    const id = this.memberArg(cmd);
    const h = this.env();
    this.act(id, '', () => input(h, id));
  }

  private config(id: string): RaftConfig {
    return this.env().configFor(id);
  }

  // ---- commands ------------------------------------------------------------------------

  private addNodes(cmd: Command): void {
    allowOnly(cmd, ['pre-vote', 'check-quorum', 'election', 'heartbeat', 'max-entries', 'seed']);
    if (this.harness !== undefined) throw new Error('add-nodes: members already exist (one group per file)');
    const countText = cmd.args[0];
    if (countText === undefined) throw new Error('add-nodes needs a count');
    const n = parseCount(countText, 'member count', 1, MEMBERS_MAX);
    const config: Partial<Omit<RaftConfig, 'id' | 'peers'>> = {};
    const opt = (key: string) => single(cmd, key);
    const preVote = opt('pre-vote');
    if (preVote !== undefined) config.preVote = parseBool(preVote, 'pre-vote');
    const checkQuorum = opt('check-quorum');
    if (checkQuorum !== undefined) config.checkQuorum = parseBool(checkQuorum, 'check-quorum');
    const election = opt('election');
    if (election !== undefined) config.electionTicks = parseCount(election, 'election', 1, 1000);
    const heartbeat = opt('heartbeat');
    if (heartbeat !== undefined) config.heartbeatTicks = parseCount(heartbeat, 'heartbeat', 1, 1000);
    const maxEntries = opt('max-entries');
    if (maxEntries !== undefined) config.maxEntriesPerMsg = parseCount(maxEntries, 'max-entries', 1, 1000);
    const seedText = opt('seed');
    const seed = seedText === undefined ? 1 : parseCount(seedText, 'seed', 0, Number.MAX_SAFE_INTEGER);
    const ids = Array.from({ length: n }, (_, i) => String(i + 1));
    this.harness = new RaftHarness(ids, config, seed);
  }

  private tick(cmd: Command): void {
    allowOnly(cmd, ['n']);
    const id = this.memberArg(cmd);
    const nText = single(cmd, 'n');
    const n = nText === undefined ? 1 : parseCount(nText, 'n', 1, TICKS_PER_COMMAND_MAX);
    const h = this.env();
    for (let i = 0; i < n; i++) this.act(id, '', () => h.tick(id));
  }

  private tickHeartbeat(cmd: Command): void {
    allowOnly(cmd, []);
    const id = this.memberArg(cmd);
    const h = this.env();
    for (let i = 0; i < this.config(id).heartbeatTicks; i++) this.act(id, '', () => h.tick(id));
  }

  /**
   * Ticks until a timer fires: a follower or candidate starts a campaign (its
   * randomised election timeout), or a leader's check-quorum deposes it. Stops
   * after twice the election timeout (longer than any timer) and says how many
   * ticks it took.
   */
  private tickElection(cmd: Command): void {
    allowOnly(cmd, []);
    const id = this.memberArg(cmd);
    const h = this.env();
    const start = h.member(id).role;
    const limit = 2 * this.config(id).electionTicks;
    const campaigned = (m: RaftMessage<Data>) => m.from === id && (m.type === MessageType.MsgVote || m.type === MessageType.MsgPreVote);
    let fired = false;
    let ticks = 0;
    while (ticks < limit && !fired) {
      ticks++;
      const sentFrom = h.mailbox.length;
      this.act(id, '', () => h.tick(id));
      fired = h.member(id).role !== start || h.mailbox.slice(sentFrom).some(campaigned);
    }
    this.out.push(`(${ticks} ticks${fired ? '' : `, no timer fired`})`);
  }

  /**
   * Delivers the messages pending now (not the ones their delivery sends) to the
   * listed members, or to all; messages to members in drop=(...) are dropped.
   * Messages a partition cuts off or whose end is down are lost on the way.
   */
  private deliverMsgs(cmd: Command): void {
    allowOnly(cmd, ['drop', 'type']);
    const to = cmd.args.map((id) => this.checkId(id));
    const dropTo = (cmd.options.get('drop') ?? []).map((id) => this.checkId(id));
    for (const id of dropTo) if (to.includes(id)) throw new Error(`cannot both deliver and drop messages to ${id}`);
    const types = cmd.options.get('type');
    for (const t of types ?? []) if (!(t in MessageType)) throw new Error(`unknown message type ${t}`);
    const selected = (m: RaftMessage<Data>) =>
      (types === undefined || types.includes(m.type)) && (dropTo.includes(m.to) || to.length === 0 || to.includes(m.to));
    this.deliverRound(selected, (m) => dropTo.includes(m.to));
  }

  private deliverRound(selected: (m: RaftMessage<Data>) => boolean, dropped: (m: RaftMessage<Data>) => boolean = () => false): void {
    const h = this.env();
    const now = h.mailbox.filter(selected);
    h.mailbox = h.mailbox.filter((m) => !selected(m));
    for (const m of now) {
      if (dropped(m)) {
        this.out.push(`dropped: ${formatMessage(m)}`);
        continue;
      }
      const blocked = h.blocked(m);
      if (blocked === 'partition') this.out.push(`dropped: ${formatMessage(m)} (partition)`);
      else if (blocked === 'down') this.out.push(`dropped: ${formatMessage(m)} (${h.isDown(m.to) ? m.to : m.from} is down)`);
      else {
        this.out.push(formatMessage(m));
        this.act(m.to, '  ', () => h.stepMessage(m));
      }
    }
  }

  private drop(cmd: Command): void {
    allowOnly(cmd, ['from', 'to']);
    if (cmd.args.length > 0) throw new Error('drop takes only from= and to=');
    const from = single(cmd, 'from');
    const to = single(cmd, 'to');
    if (from !== undefined) this.checkId(from);
    if (to !== undefined) this.checkId(to);
    const dropped = this.env().drop((m) => (from === undefined || m.from === from) && (to === undefined || m.to === to));
    for (const m of dropped) this.out.push(`dropped: ${formatMessage(m)}`);
  }

  /** Delivers rounds of messages until none is pending. */
  private stabilize(cmd: Command): void {
    allowOnly(cmd, []);
    const h = this.env();
    for (let round = 0; round < STABILIZE_ROUNDS_MAX; round++) {
      if (h.mailbox.length === 0) return;
      this.deliverRound(() => true);
    }
    throw new Error(`still messages pending after ${STABILIZE_ROUNDS_MAX} rounds`);
  }

  private partition(cmd: Command): void {
    allowOnly(cmd, []);
    const groups = cmd.args.map((g) => parseGroup(g).map((id) => this.checkId(id)));
    const seen = new Set<string>();
    for (const id of groups.flat()) {
      if (seen.has(id)) throw new Error(`member ${id} is in two groups`);
      seen.add(id);
    }
    if (groups.length < 2) throw new Error('partition needs at least two groups, e.g. partition (1,2) (3)');
    this.env().partition(groups);
  }

  private propose(cmd: Command): void {
    // No options: everything after the member id is the data, `=` and all.
    const id = this.memberArg(cmd);
    const data = cmd.rest.slice((cmd.args[0] as string).length).trim();
    if (data === '') throw new Error('propose needs data: propose ID DATA');
    const h = this.env();
    let ok = true;
    this.act(id, '', () => {
      ok = h.propose(id, data);
    });
    if (!ok) this.out.push(`${id} dropped the proposal (no leader known, or campaigning)`);
  }

  private readIndex(cmd: Command): void {
    allowOnly(cmd, []);
    const id = this.memberArg(cmd);
    const ctxText = cmd.args[1];
    if (ctxText === undefined) throw new Error('read-index needs a context: read-index ID CTX');
    const context = parseCount(ctxText, 'read context', 1, Number.MAX_SAFE_INTEGER);
    const h = this.env();
    let ok = true;
    this.act(id, '', () => {
      ok = h.readIndex(id, context);
    });
    if (!ok) this.out.push(`${id} dropped the read (no leader known, or campaigning)`);
  }

  private kill(cmd: Command): void {
    allowOnly(cmd, []);
    const id = this.memberArg(cmd);
    const h = this.env();
    for (const m of h.mailbox) if (m.from === id || m.to === id) this.out.push(`dropped: ${formatMessage(m)} (${id} is down)`);
    h.kill(id);
  }

  /** Boots a member again from its storage; a member that is up is killed first. */
  private restart(cmd: Command): void {
    allowOnly(cmd, []);
    const id = cmd.args[0];
    if (id === undefined) throw new Error('restart needs a member id');
    this.checkId(id);
    const h = this.env();
    if (!h.isDown(id)) this.kill(cmd);
    const sentFrom = h.mailbox.length;
    h.restart(id);
    const m = h.member(id);
    this.out.push(`${id} restarted as ${m.role} at term ${m.term}, vote ${m.vote === None ? '-' : m.vote}, commit ${m.commit}, last ${m.lastTerm}/${m.lastIndex}`);
    for (const msg of h.mailbox.slice(sentFrom)) this.out.push(formatMessage(msg));
    for (const e of h.applied.get(id) ?? []) this.out.push(`${id} applied ${formatEntry(e)}`);
  }

  /** Role, term, vote, leader, commit, applied and last entry of each member. */
  private status(cmd: Command): void {
    allowOnly(cmd, []);
    const h = this.env();
    for (const id of this.idsArg(cmd)) {
      const s = h.storages.get(id);
      if (s === undefined) continue;
      const last = s.entries[s.entries.length - 1];
      const lastText = `last:${last?.term ?? 0}/${s.entries.length}`;
      const vote = s.vote === None ? '-' : s.vote;
      if (h.isDown(id)) {
        this.out.push(`${id}: down (on disk: term:${s.term} vote:${vote} commit:${s.commit} ${lastText})`);
        continue;
      }
      const m = h.member(id);
      const lead = m.lead === None ? '-' : m.lead;
      this.out.push(`${id}: ${m.role} term:${m.term} vote:${vote} lead:${lead} commit:${m.commit} applied:${m.appliedIndex} ${lastText}`);
    }
  }

  /** A member's log, from its storage (so it works on a member that is down). */
  private log(cmd: Command): void {
    allowOnly(cmd, []);
    const id = cmd.args[0];
    if (id === undefined || cmd.args.length !== 1) throw new Error('log takes one member id');
    const s = this.env().storages.get(this.checkId(id));
    if (s === undefined || s.entries.length === 0) {
      this.out.push('(empty log)');
      return;
    }
    for (const e of s.entries) this.out.push(`${e.term}/${e.index} ${e.label}${e.index <= s.commit ? '' : ' (uncommitted)'}`);
  }

  /** Roles and leaders, and each leader's view of its followers' progress. */
  private raftState(cmd: Command): void {
    allowOnly(cmd, []);
    const h = this.env();
    for (const id of this.idsArg(cmd)) {
      if (h.isDown(id)) {
        this.out.push(`${id}: down`);
        continue;
      }
      const m = h.member(id);
      this.out.push(`${id}: ${m.role} term:${m.term} lead:${m.lead === None ? '-' : m.lead}`);
      for (const p of m.progress()) {
        if (p.id !== id) this.out.push(`  ${p.id}: ${p.state} match:${p.match} next:${p.next}`);
      }
    }
  }
}
