import { useEffect, useState } from 'react';
import { useEngine } from '../engineClient';
import { formatVirtualTime } from '../formatVirtualTime';
import type { TimeAction } from '../protocol';
import { appStore, isSpeed, SPEEDS, useAppStore } from '../store';
import { achievedSpeedText, isPlaybackShortcut } from './playback';
import './timeline.css';

/** Play/pause, step, skip ahead, speed and the virtual clock, for the top bar. */
export function TimeControls() {
  const engine = useEngine();
  const playing = useAppStore((s) => s.playing);
  const speed = useAppStore((s) => s.speed);
  const [skipping, setSkipping] = useState(false);

  const send = (action: TimeAction) => engine.time(action).catch(reportTimeError);
  const togglePlay = () => void send({ type: appStore.getState().playing ? 'pause' : 'play' });
  const skip = () => {
    setSkipping(true);
    void send({ type: 'skip' }).finally(() => setSkipping(false));
  };

  useSpaceToggles(togglePlay);

  return (
    <div className="time-controls" role="group" aria-label="Playback">
      <Clock />
      <button
        type="button"
        className="btn btn--primary btn--icon"
        aria-label={playing ? 'Pause' : 'Play'}
        title={playing ? 'Pause (Space)' : 'Play (Space)'}
        data-testid="play-pause"
        data-playing={playing}
        onClick={togglePlay}
      >
        {playing ? <PauseIcon /> : <PlayIcon />}
      </button>
      <button type="button" className="btn" title="Run to the next change of the cluster's stored state" data-testid="step" onClick={() => void send({ type: 'step' })}>
        <StepIcon />
        Step
      </button>
      <button
        type="button"
        className="btn"
        title="Run until something happens: a new event, a pod or node changing state (at most 10 minutes)"
        data-testid="skip"
        aria-busy={skipping}
        disabled={skipping}
        onClick={skip}
      >
        <SkipIcon />
        Skip ahead
      </button>
      <select
        className="select time-controls__speed"
        aria-label="Speed"
        title="Virtual seconds per real second"
        data-testid="speed"
        value={speed}
        onChange={(e) => {
          const v = Number(e.target.value);
          if (isSpeed(v)) void send({ type: 'speed', speed: v });
        }}
      >
        {SPEEDS.map((s) => (
          <option key={s} value={s}>{`${s}×`}</option>
        ))}
      </select>
      <AchievedSpeed />
    </div>
  );
}

function Clock() {
  const now = useAppStore((s) => s.snapshot.now);
  return (
    <span className="time-controls__clock mono" role="timer" data-testid="clock" data-now-ms={now} title="Virtual time since the cluster started">
      {formatVirtualTime(now)}
    </span>
  );
}

/** "≈37×" when the engine cannot keep up with the chosen speed; the space stays reserved. */
function AchievedSpeed() {
  const text = useAppStore((s) => achievedSpeedText(s.playing, s.speed, s.achievedSpeed));
  return (
    <span className="time-controls__achieved mono" data-testid="achieved-speed" title={text === null ? undefined : `The engine achieves about ${text.slice(1)} on this machine`}>
      {text ?? ''}
    </span>
  );
}

/** Space plays or pauses when focus is not somewhere Space types or presses. */
function useSpaceToggles(toggle: () => void): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target instanceof Element ? e.target : null;
      if (!isPlaybackShortcut({ ...pickKeys(e), target })) return;
      e.preventDefault();
      toggle();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  });
}

function pickKeys(e: KeyboardEvent) {
  return { key: e.key, repeat: e.repeat, defaultPrevented: e.defaultPrevented, altKey: e.altKey, ctrlKey: e.ctrlKey, metaKey: e.metaKey, shiftKey: e.shiftKey };
}

function reportTimeError(err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  appStore.getState().appendConsole([{ kind: 'stderr', text: `playback: ${message}` }]);
}

function PlayIcon() {
  return (
    <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
      <path d="M4 2.5v11l9-5.5z" fill="currentColor" />
    </svg>
  );
}

function PauseIcon() {
  return (
    <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
      <path d="M4 2.5h3v11H4zM9 2.5h3v11H9z" fill="currentColor" />
    </svg>
  );
}

function StepIcon() {
  return (
    <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
      <path d="M3 3v10l7-5zM11 3h2v10h-2z" fill="currentColor" />
    </svg>
  );
}

function SkipIcon() {
  return (
    <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">
      <path d="M1.5 3v10l6-5zM8 3v10l6-5z" fill="currentColor" />
    </svg>
  );
}
