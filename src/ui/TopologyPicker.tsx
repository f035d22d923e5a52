import { useId, useState } from 'react';
import { useEngine } from './engineClient';
import { appStore, useAppStore } from './store';
import { customSpec, MASTER_COUNTS, MAX_WORKERS, TOPOLOGY_PRESETS } from './topologies';
import './topology.css';

/**
 * "New cluster…": pick a preset or custom counts; the current cluster is replaced (the
 * editor's files and the console's history stay).
 */
export function TopologyPicker() {
  const engine = useEngine();
  const open = useAppStore((s) => s.topologyOpen);
  const setOpen = useAppStore((s) => s.setTopologyOpen);
  const [preset, setPreset] = useState('default');
  const [masters, setMasters] = useState(3);
  const [workers, setWorkers] = useState(3);
  const [zones, setZones] = useState(2);
  const [seed, setSeed] = useState('1');
  const [error, setError] = useState<string | null>(null);
  const titleId = useId();

  const create = async (): Promise<void> => {
    const spec = preset === 'custom' ? customSpec(masters, workers, zones) : TOPOLOGY_PRESETS.find((p) => p.id === preset)?.spec;
    if (spec === undefined) return;
    const seedValue = /^-?\d+$/.test(seed.trim()) ? Number(seed.trim()) : seed.trim() || 1;
    try {
      await engine.reset(spec, seedValue);
      appStore.getState().appendConsole([{ kind: 'info', text: `# new cluster: ${spec.masters.count} master(s), ${spec.workers.count} worker(s) in ${spec.zones.join(', ')} (seed ${String(seedValue)})` }]);
      setError(null);
      setOpen(false);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };

  return (
    <div className="topology">
      <button type="button" className="btn" aria-expanded={open} aria-haspopup="dialog" onClick={() => setOpen(!open)} data-testid="topology-button">
        New cluster…
      </button>
      {open ? (
        <div
          className="topology__dialog"
          role="dialog"
          aria-labelledby={titleId}
          onKeyDown={(e) => {
            if (e.key === 'Escape') setOpen(false);
          }}
        >
          <h3 id={titleId} className="topology__title">
            New cluster
          </h3>
          <fieldset className="topology__choices">
            <legend className="sr-only">Topology</legend>
            {[...TOPOLOGY_PRESETS.map((p) => ({ id: p.id, label: p.label, hint: p.hint })), { id: 'custom', label: 'Custom counts', hint: 'Masters are spread over the zones in turn, then workers.' }].map((p) => (
              <label key={p.id} className={`topology__choice${preset === p.id ? ' is-selected' : ''}`}>
                <input type="radio" name="topology" value={p.id} checked={preset === p.id} onChange={() => setPreset(p.id)} />
                <span>
                  <span className="topology__label">{p.label}</span>
                  <span className="topology__hint">{p.hint}</span>
                </span>
              </label>
            ))}
          </fieldset>
          {preset === 'custom' ? (
            <div className="topology__custom">
              <label>
                Masters
                <select className="select" value={masters} onChange={(e) => setMasters(Number(e.currentTarget.value))}>
                  {MASTER_COUNTS.map((n) => (
                    <option key={n} value={n}>
                      {n}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                Workers
                <input className="select" type="number" min={0} max={MAX_WORKERS} value={workers} onChange={(e) => setWorkers(Math.max(0, Math.min(MAX_WORKERS, Math.floor(Number(e.currentTarget.value) || 0))))} />
              </label>
              <label>
                Zones
                <select className="select" value={zones} onChange={(e) => setZones(Number(e.currentTarget.value))}>
                  {[1, 2, 3].map((n) => (
                    <option key={n} value={n}>
                      {n}
                    </option>
                  ))}
                </select>
              </label>
            </div>
          ) : null}
          <label className="topology__seed">
            Seed
            <input className="select" value={seed} onChange={(e) => setSeed(e.currentTarget.value)} aria-describedby={`${titleId}-seed`} />
          </label>
          <p id={`${titleId}-seed`} className="topology__hint">
            The same seed and the same actions replay the same run.
          </p>
          {error === null ? null : (
            <p className="topology__error" role="alert">
              {error}
            </p>
          )}
          <div className="topology__buttons">
            <button type="button" className="btn" onClick={() => setOpen(false)}>
              Cancel
            </button>
            <button type="button" className="btn btn--primary" onClick={() => void create()}>
              Create cluster
            </button>
          </div>
        </div>
      ) : null}
    </div>
  );
}
