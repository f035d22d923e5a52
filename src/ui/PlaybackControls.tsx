import { useId } from 'react';
import { isSpeed, SPEEDS, useAppStore } from './store';

/** Play/pause and the speed picker. Both only dispatch store actions; the engine host does the rest. */
export function PlaybackControls() {
  const playing = useAppStore((s) => s.playing);
  const speed = useAppStore((s) => s.speed);
  const blocked = useAppStore((s) => s.engineError !== null);
  const togglePlay = useAppStore((s) => s.togglePlay);
  const setSpeed = useAppStore((s) => s.setSpeed);
  const speedId = useId();
  return (
    <div className="playback">
      <button
        type="button"
        className={`playback__toggle ${playing ? 'is-playing' : 'is-paused'}`}
        onClick={togglePlay}
        disabled={blocked && !playing}
      >
        <PlaybackIcon playing={playing} />
        <span>{playing ? 'Pause' : 'Play'}</span>
      </button>
      <label className="playback__speed" htmlFor={speedId}>
        Speed
      </label>
      <select
        id={speedId}
        className="playback__select"
        value={speed}
        onChange={(e) => {
          const value = Number(e.currentTarget.value);
          if (isSpeed(value)) setSpeed(value);
        }}
      >
        {SPEEDS.map((s) => (
          <option key={s} value={s}>
            {`${s}×`}
          </option>
        ))}
      </select>
    </div>
  );
}

function PlaybackIcon({ playing }: { playing: boolean }) {
  return (
    <svg className="playback__icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
      {playing ? (
        <>
          <rect x="3" y="2.5" width="3.5" height="11" rx="1" />
          <rect x="9.5" y="2.5" width="3.5" height="11" rx="1" />
        </>
      ) : (
        <path d="M4 2.6v10.8a.6.6 0 0 0 .9.5l8.6-5.4a.6.6 0 0 0 0-1L4.9 2.1a.6.6 0 0 0-.9.5z" />
      )}
    </svg>
  );
}
