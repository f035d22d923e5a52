import { useId, useMemo, useState } from 'react';
import { Panel } from '../Panel';
import type { ObjectRef, WorkloadModel } from '../protocol';
import { appStore, useAppStore } from '../store';
import { EventList } from './EventList';
import { ReplicaChart } from './ReplicaChart';
import { chartWorkloads, chooseWorkload, workloadKey } from './replicaChart';
import { objectString, timelineRows } from './timelineRows';
import { TrafficChart } from './TrafficChart';
import { chartChoice, chooseSeries, seriesOptions, shownChart, type ChartTab } from './trafficChart';
import { useElementSize } from './useElementSize';
import './timeline.css';

type View = 'events' | ChartTab;

/**
 * What happened, in virtual time: Kubernetes Events with the learner's own commands and
 * faults between them, a chart of one workload's desired vs ready replicas, or one Service's
 * or client's requests per second and how many succeeded.
 */
export function TimelinePanel() {
  const [showList, setShowList] = useState(true);
  // Which chart the learner chose; null follows the default (traffic once there is any).
  const [chart, setChart] = useState<ChartTab | null>(null);
  const hasTraffic = useAppStore((s) => Object.keys(s.traffic).length > 0);
  // Kept here so switching views keeps the filter and the charts' picks.
  const [filter, setFilter] = useState<EventFilter>({ text: '', selectedOnly: false });
  const [picked, setPicked] = useState<Pick | null>(null);
  const [pickedSeries, setPickedSeries] = useState<Pick | null>(null);
  const view: View = showList ? 'events' : shownChart(chart, hasTraffic);
  const onView = (v: View) => {
    setShowList(v === 'events');
    if (v !== 'events') setChart(chartChoice(v, hasTraffic));
  };
  return (
    <Panel area="timeline" title="Events" actions={<ViewSwitch view={view} onChange={onView} />}>
      {view === 'events' ? <EventsView filter={filter} onFilter={setFilter} /> : null}
      {view === 'replicas' ? <ReplicasView picked={picked} onPick={setPicked} /> : null}
      {view === 'traffic' ? <TrafficView picked={pickedSeries} onPick={setPickedSeries} /> : null}
    </Panel>
  );
}

interface EventFilter {
  readonly text: string;
  readonly selectedOnly: boolean;
}

/** The chart's workload (or traffic series) as picked in its select, and the selection at the time. */
interface Pick {
  readonly key: string;
  readonly under: string | null;
}

function ViewSwitch({ view, onChange }: { view: View; onChange: (v: View) => void }) {
  const option = (v: View, label: string, title: string) => (
    <button type="button" className={`tl-switch__btn${view === v ? ' is-on' : ''}`} aria-pressed={view === v} title={title} data-testid={`timeline-view-${v}`} onClick={() => onChange(v)}>
      {label}
    </button>
  );
  return (
    <div className="tl-switch" role="group" aria-label="Timeline view">
      {option('events', 'List', 'Events and your actions')}
      {option('replicas', 'Replicas', 'Desired vs ready replicas over time')}
      {option('traffic', 'Traffic', 'Requests per second and how many succeeded, per Service or client')}
    </div>
  );
}

function EventsView({ filter, onFilter }: { filter: EventFilter; onFilter: (f: EventFilter) => void }) {
  const events = useAppStore((s) => s.events);
  const log = useAppStore((s) => s.log);
  const selected = useAppStore((s) => s.selected);
  const { text, selectedOnly } = filter;
  const filterId = useId();
  const onlySelected = selectedOnly && selected !== null;
  const rows = useMemo(() => timelineRows(events, log, { text, selected: onlySelected ? selected : null }), [events, log, text, onlySelected, selected]);
  const filtering = text.trim() !== '' || onlySelected;
  const [toolbarRef, { width }] = useElementSize<HTMLDivElement>();
  return (
    <>
      <div className="tl-toolbar" ref={toolbarRef}>
        <label className="sr-only" htmlFor={filterId}>
          Filter by object or reason
        </label>
        <input
          id={filterId}
          className="tl-filter"
          type="search"
          placeholder={width === 0 || width >= 330 ? 'Filter by object or reason' : 'Filter'}
          title="Words that must all appear in the object, reason or type"
          value={text}
          spellCheck={false}
          autoComplete="off"
          data-testid="timeline-filter"
          onChange={(e) => onFilter({ ...filter, text: e.target.value })}
        />
        <label className="tl-only" title={selected === null ? 'Select an object on the map first' : `Only ${objectString(selected)}`}>
          <input type="checkbox" checked={selectedOnly} disabled={selected === null} data-testid="timeline-selected-only" onChange={(e) => onFilter({ ...filter, selectedOnly: e.target.checked })} />
          Selected only
        </label>
      </div>
      <div className="tl-body">
        <EventList
          rows={rows}
          selectedObject={selected === null ? null : objectString(selected)}
          emptyText={filtering ? 'Nothing matches the filter.' : 'No events yet.'}
          onSelect={selectObject}
        />
      </div>
    </>
  );
}

function selectObject(ref: ObjectRef): void {
  appStore.getState().select(ref);
}

function ReplicasView({ picked, onPick }: { picked: Pick | null; onPick: (p: Pick) => void }) {
  const workloads = useAppStore((s) => s.model.workloads);
  const selected = useAppStore((s) => s.selected);
  const options = useMemo(() => chartWorkloads(workloads), [workloads]);
  const selectedKey = selected === null ? null : objectString(selected);
  // A pick holds while the selection stays what it was when it was made; selecting another object wins.
  const key = chooseWorkload(options, selected, picked !== null && picked.under === selectedKey ? picked.key : null);
  const workload = options.find((w) => workloadKey(w) === key) ?? null;
  return (
    <>
      <ChartSelect
        label="Workload"
        testId="replica-workload"
        empty="no workloads"
        value={key}
        options={options.map((w) => ({ key: workloadKey(w), label: optionLabel(w) }))}
        onChange={(k) => onPick({ key: k, under: selectedKey })}
      />
      <div className="tl-body">
        <ReplicaChart workload={workload} />
      </div>
    </>
  );
}

/** The select above a chart: which workload or traffic series it shows. */
function ChartSelect(props: { label: string; testId: string; empty: string; value: string | null; options: readonly { key: string; label: string }[]; onChange: (key: string) => void }) {
  const { options } = props;
  return (
    <div className="tl-toolbar">
      <select className="select tl-workload" aria-label={props.label} value={props.value ?? ''} disabled={options.length === 0} data-testid={props.testId} onChange={(e) => props.onChange(e.target.value)}>
        {options.length === 0 ? <option value="">{props.empty}</option> : null}
        {options.map((o) => (
          <option key={o.key} value={o.key}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

function optionLabel(w: WorkloadModel): string {
  const name = `${w.kind.toLowerCase()}/${w.name}`;
  return w.namespace === 'default' ? name : `${name} (${w.namespace})`;
}

function TrafficView({ picked, onPick }: { picked: Pick | null; onPick: (p: Pick) => void }) {
  const traffic = useAppStore((s) => s.traffic);
  const selected = useAppStore((s) => s.selected);
  const options = useMemo(() => seriesOptions(traffic), [traffic]);
  const selectedKey = selected === null ? null : objectString(selected);
  // As for replicas: a pick holds while the selection stays what it was when it was made.
  const key = chooseSeries(options, traffic, selected, picked !== null && picked.under === selectedKey ? picked.key : null);
  const series = options.find((o) => o.key === key) ?? null;
  return (
    <>
      <ChartSelect label="Service or client" testId="traffic-series" empty="no traffic" value={key} options={options} onChange={(k) => onPick({ key: k, under: selectedKey })} />
      <div className="tl-body">
        <TrafficChart series={series} />
      </div>
    </>
  );
}
