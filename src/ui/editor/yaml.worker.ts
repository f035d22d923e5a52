// The YAML language service's worker. Imported by name (not `monaco-yaml/yaml.worker?worker`)
// so that Vite's dev server serves the pre-bundled copy listed in optimizeDeps (monaco-yaml's FAQ).
import 'monaco-yaml/yaml.worker.js';
