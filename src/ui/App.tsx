import { ConsolePanel } from './console/ConsolePanel';
import { EditorPanel } from './editor/EditorPanel';
import { InspectorPanel } from './inspector/InspectorPanel';
import { ClusterMapPanel } from './map/ClusterMapPanel';
import { RaftPanel } from './raft/RaftPanel';
import { Splitter } from './Splitter';
import { useAppStore } from './store';
import { TimelinePanel } from './timeline/TimelinePanel';
import { TopBar } from './TopBar';

/**
 * One page: the editor on the left, the cluster map in the middle with the console and the
 * timeline under it, the control plane's Raft view and the inspector on the right. The three
 * borders between them can be dragged (or moved with the arrow keys).
 */
export function App() {
  const layout = useAppStore((s) => s.layout);
  const setLayout = useAppStore((s) => s.setLayout);
  const style = {
    '--editor-w': `${layout.editorWidth}px`,
    '--side-w': `${layout.sideWidth}px`,
    '--bottom-h': `${layout.bottomHeight}px`,
  } as React.CSSProperties;
  return (
    <div className="app" style={style}>
      <div className="app__top">
        <TopBar />
      </div>
      <div className="app__editor">
        <EditorPanel />
      </div>
      <Splitter
        className="splitter-left"
        orientation="vertical"
        label="Resize the editor"
        value={layout.editorWidth}
        min={260}
        max={720}
        onChange={(v) => setLayout({ editorWidth: v })}
      />
      <div className="app__map">
        <ClusterMapPanel />
      </div>
      <Splitter
        className="splitter-bottom"
        orientation="horizontal"
        label="Resize the console"
        value={layout.bottomHeight}
        min={120}
        max={520}
        invert
        onChange={(v) => setLayout({ bottomHeight: v })}
      />
      <div className="app__bottom">
        <ConsolePanel />
        <TimelinePanel />
      </div>
      <Splitter
        className="splitter-right"
        orientation="vertical"
        label="Resize the side panels"
        value={layout.sideWidth}
        min={240}
        max={640}
        invert
        onChange={(v) => setLayout({ sideWidth: v })}
      />
      <div className="app__side">
        <RaftPanel />
        <InspectorPanel />
      </div>
    </div>
  );
}
