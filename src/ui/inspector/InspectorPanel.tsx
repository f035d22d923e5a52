import { useEffect, useId, useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { formatVirtualSeconds } from '../formatVirtualTime';
import { Panel } from '../Panel';
import type { ClusterModel, EventRecord, Inspection, ObjectRef } from '../protocol';
import { appStore, useAppStore } from '../store';
import { rateText, recentSummary, type TrafficSummary } from '../timeline/trafficChart';
import { differs, nameSuggestions, parseObjectQuery, refKey, refLabel } from './inspectorLogic';
import { useInspection } from './useInspection';
import './inspector.css';

const TABS = [
  { id: 'describe', label: 'Describe' },
  { id: 'yaml', label: 'YAML' },
  { id: 'events', label: 'Events' },
] as const;
type TabId = (typeof TABS)[number]['id'];

/**
 * The selected object as `kubectl describe`, as YAML and as its events; above them, spec
 * against status for a workload and the scheduler's per-node verdicts for a pod.
 */
export function InspectorPanel() {
  const selected = useAppStore((s) => s.selected);
  // The tab stays as chosen while the learner moves from object to object.
  const [tab, setTab] = useState<TabId>('describe');
  const actions = selected === null ? undefined : <SelectedHeader selected={selected} />;
  return (
    <Panel area="inspector" title="Inspector" actions={actions}>
      <div className="inspector" data-testid="inspector" data-selected={refKey(selected)}>
        {selected === null ? <EmptyState /> : <Inspected key={refKey(selected)} selected={selected} tab={tab} onTab={setTab} />}
      </div>
    </Panel>
  );
}

function SelectedHeader({ selected }: { selected: ObjectRef }) {
  const label = refLabel(selected);
  return (
    <>
      <span className="inspector__ref" title={label} data-testid="inspector-ref">
        <span className="inspector__kind">{selected.kind}</span> <span className="mono">{label.slice(selected.kind.length + 1)}</span>
      </span>
      <button type="button" className="btn btn--icon" aria-label={`Close ${label}`} data-testid="inspector-close" onClick={() => appStore.getState().select(null)}>
        ×
      </button>
    </>
  );
}

// ---- nothing selected: a way to pick something ------------------------------------------------

const EMPTY_NAMES: ClusterModel['names'] = {};

/** The name list offers this many matches at most: a big cluster has thousands of objects. */
const SUGGESTIONS_SHOWN = 50;

function EmptyState() {
  const [text, setText] = useState('');
  const [focused, setFocused] = useState(false);
  // Read the names only while the learner is picking: they change with every write to the cluster.
  const names = useAppStore((s) => (focused || text !== '' ? s.model.names : EMPTY_NAMES));
  const all = useMemo(() => nameSuggestions(names), [names]);
  const suggestions = useMemo(() => {
    const t = text.trim();
    return (t === '' ? all : all.filter((s) => s.includes(t))).slice(0, SUGGESTIONS_SHOWN);
  }, [all, text]);
  const [error, setError] = useState<string | null>(null);
  const inputId = useId();
  const listId = useId();
  const errorId = useId();

  const pick = (value: string): boolean => {
    const ref = parseObjectQuery(value, names);
    if ('error' in ref) {
      setError(ref.error);
      return false;
    }
    appStore.getState().select(ref);
    return true;
  };
  const onSubmit = (e: FormEvent): void => {
    e.preventDefault();
    pick(text);
  };

  return (
    <div className="inspector__empty">
      <p>
        Click a node or pod on the map, or an event, to inspect it. <label htmlFor={inputId}>Or type a name:</label>
      </p>
      <form className="inspector__pick" onSubmit={onSubmit}>
        <input
          id={inputId}
          className="inspector__name mono"
          list={listId}
          value={text}
          placeholder="deployment/web"
          autoComplete="off"
          spellCheck={false}
          aria-invalid={error !== null}
          aria-describedby={errorId}
          data-testid="inspector-name"
          onFocus={() => setFocused(true)}
          onBlur={() => setFocused(false)}
          onChange={(e) => {
            setText(e.target.value);
            setError(null);
            // Picking from the list selects at once; typing waits for Enter.
            const inputType = (e.nativeEvent as InputEvent).inputType;
            if ((inputType === undefined || inputType === 'insertReplacementText') && all.includes(e.target.value)) pick(e.target.value);
          }}
        />
        <button type="submit" className="btn">
          Inspect
        </button>
        <datalist id={listId}>
          {suggestions.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
      </form>
      <p id={errorId} className="inspector__error" aria-live="polite">
        {error}
      </p>
    </div>
  );
}

// ---- something selected ------------------------------------------------------------------------

function Inspected({ selected, tab, onTab }: { selected: ObjectRef; tab: TabId; onTab: (t: TabId) => void }) {
  const { inspection, error } = useInspection(selected);
  if (error !== null) {
    return (
      <p className="inspector__note" data-state="error">
        Could not inspect {refLabel(selected)}: {error}
      </p>
    );
  }
  if (inspection === null) {
    return (
      <p className="inspector__note" data-state="loading">
        Reading {refLabel(selected)}…
      </p>
    );
  }
  const missing = inspection.describe === null;
  return (
    <div className="inspector__content" data-state={missing ? 'missing' : 'ready'}>
      {inspection.desiredVsObserved !== null || inspection.scheduling !== null ? (
        <div className="inspector__summary">
          {inspection.desiredVsObserved === null ? null : <DesiredVsObserved rows={inspection.desiredVsObserved} />}
          {inspection.scheduling === null ? null : <Scheduling pod={selected} scheduling={inspection.scheduling} />}
        </div>
      ) : null}
      <Tabs tab={tab} onTab={onTab} />
      <div className="inspector__tabpanel" role="tabpanel" id={`inspector-panel-${tab}`} aria-labelledby={`inspector-tab-${tab}`}>
        {tab === 'describe' && selected.kind === 'Service' ? <ServiceTraffic service={selected} /> : null}
        <TabBody tab={tab} inspection={inspection} />
      </div>
    </div>
  );
}

function Tabs({ tab, onTab }: { tab: TabId; onTab: (t: TabId) => void }) {
  const refs = useRef<Partial<Record<TabId, HTMLButtonElement | null>>>({});
  // Arrow keys move between tabs, as the ARIA tabs pattern has it.
  const onKeyDown = (e: KeyboardEvent): void => {
    const i = TABS.findIndex((t) => t.id === tab);
    const next = e.key === 'ArrowRight' ? i + 1 : e.key === 'ArrowLeft' ? i - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? TABS.length - 1 : null;
    if (next === null) return;
    e.preventDefault();
    const t = TABS[(next + TABS.length) % TABS.length]?.id ?? 'describe';
    onTab(t);
    refs.current[t]?.focus();
  };
  return (
    <div className="inspector__tabs" role="tablist" aria-label="Inspector views" onKeyDown={onKeyDown}>
      {TABS.map((t) => (
        <button
          key={t.id}
          ref={(el) => {
            refs.current[t.id] = el;
          }}
          type="button"
          role="tab"
          id={`inspector-tab-${t.id}`}
          className="inspector__tab"
          aria-selected={tab === t.id}
          aria-controls={`inspector-panel-${t.id}`}
          tabIndex={tab === t.id ? 0 : -1}
          data-testid={`inspector-tab-${t.id}`}
          onClick={() => onTab(t.id)}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}

function TabBody({ tab, inspection }: { tab: TabId; inspection: Inspection }) {
  if (tab === 'events') return <EventList events={inspection.events} />;
  const text = tab === 'describe' ? inspection.describe : inspection.yaml;
  const testId = `inspector-${tab}`;
  if (text === null) {
    return (
      <p className="inspector__note" data-testid={testId} data-missing="true">
        {refLabel(inspection.ref)} does not exist: it was deleted, or is not created yet. Its events stay under Events.
      </p>
    );
  }
  return <SelectablePre key={tab} text={text} testId={testId} />;
}

/**
 * Text that keeps still while the learner selects in it: a refresh (ages change every second)
 * would otherwise throw the selection away. It catches up once the selection is gone.
 */
function SelectablePre({ text, testId }: { text: string; testId: string }) {
  const ref = useRef<HTMLPreElement>(null);
  const [shown, setShown] = useState(text);
  useEffect(() => {
    const update = (): void => {
      const sel = document.getSelection();
      const selecting = sel !== null && !sel.isCollapsed && ref.current !== null && sel.anchorNode !== null && ref.current.contains(sel.anchorNode);
      if (!selecting) setShown(text);
    };
    update();
    document.addEventListener('selectionchange', update);
    return () => {
      document.removeEventListener('selectionchange', update);
    };
  }, [text]);
  return (
    <pre ref={ref} className="inspector__pre" data-testid={testId} tabIndex={0}>
      {shown}
    </pre>
  );
}

function EventList({ events }: { events: readonly EventRecord[] }) {
  if (events.length === 0) {
    return (
      <p className="inspector__note" data-testid="inspector-events" data-count={0}>
        No events.
      </p>
    );
  }
  return (
    <ol className="inspector__events" data-testid="inspector-events" data-count={events.length} tabIndex={0} aria-label="Events, oldest first">
      {events.map((e) => (
        <li key={e.id} className="inspector__event" data-type={e.type} data-reason={e.reason}>
          <div className="inspector__event-head">
            <span className="mono inspector__event-time">{formatVirtualSeconds(e.atMs)}</span>
            <span className={`inspector__event-reason inspector__event-reason--${e.type.toLowerCase()}`}>
              {e.type === 'Warning' ? 'Warning ' : ''}
              {e.reason}
            </span>
            {e.count > 1 ? <span className="inspector__event-count mono">×{e.count}</span> : null}
            <span className="inspector__event-source">{e.source}</span>
          </div>
          <div className="inspector__event-message">{e.message}</div>
        </li>
      ))}
    </ol>
  );
}

/** A Service's requests per second and success rate, as its clients saw them; nothing before it has had traffic. */
function ServiceTraffic({ service }: { service: ObjectRef }) {
  const key = `service/${service.namespace}/${service.name}`;
  const summary = useAppStore(useShallow((s): TrafficSummary | null => (s.traffic[key] === undefined ? null : recentSummary(s.traffic[key], s.snapshot.now))));
  if (summary === null) return null;
  return (
    <p className="inspector__traffic" data-testid="inspector-traffic" data-rps={summary.rpsText} data-success={summary.successText ?? ''}>
      <span className="inspector__traffic-label">Traffic</span> <span className="mono">{rateText(summary)}</span>
    </p>
  );
}

// ---- summaries above the tabs -----------------------------------------------------------------

function DesiredVsObserved({ rows }: { rows: NonNullable<Inspection['desiredVsObserved']> }) {
  const converging = rows.some(differs);
  return (
    <section className="inspector__section" data-testid="desired-vs-observed" data-converging={converging}>
      <table className="inspector__table inspector__dvo">
        <caption>
          Desired vs observed <span className="inspector__hint">{converging ? 'status is catching up' : 'status matches the spec'}</span>
        </caption>
        <thead>
          <tr>
            <th scope="col">status field</th>
            <th scope="col" className="num">
              desired
            </th>
            <th scope="col" className="num">
              observed
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const off = differs(r);
            return (
              <tr key={r.field} className={off ? 'is-differ' : undefined} data-field={r.field} data-differs={off}>
                <td className="mono">{r.field}</td>
                <td className="num mono">{r.desired}</td>
                <td className="num mono">
                  {r.observed}
                  {off ? <span className="sr-only"> (differs)</span> : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

function Scheduling({ pod, scheduling }: { pod: ObjectRef; scheduling: NonNullable<Inspection['scheduling']> }) {
  const verdict = scheduling.node === null ? scheduling.message : `Successfully assigned ${pod.namespace}/${pod.name} to ${scheduling.node}`;
  return (
    <section className="inspector__section" data-testid="scheduling-verdicts" data-node={scheduling.node ?? ''} data-unschedulable={scheduling.node === null}>
      <h3 className="inspector__heading">
        Scheduling <span className="inspector__hint mono">at {formatVirtualSeconds(scheduling.atMs)}</span>
      </h3>
      <p className={`inspector__verdict${scheduling.node === null ? ' is-failed' : ''}`}>{verdict}</p>
      <table className="inspector__table inspector__verdicts">
        <thead>
          <tr>
            <th scope="col">node</th>
            <th scope="col">filters</th>
            <th scope="col" className="num">
              score
            </th>
          </tr>
        </thead>
        <tbody>
          {scheduling.verdicts.map((v) => (
            <tr key={v.node} data-node={v.node} data-passed={v.reason === ''} className={v.node === scheduling.node ? 'is-chosen' : undefined}>
              <td className="mono">{v.node}</td>
              <td className={v.reason === '' ? 'inspector__pass' : 'inspector__reason'}>
                {v.reason === '' ? (
                  <>
                    <span aria-hidden="true">✓</span>
                    <span className="sr-only">passed every filter</span>
                  </>
                ) : (
                  v.reason
                )}
              </td>
              <td className="num mono">{v.score ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
