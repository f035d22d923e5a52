import { CATALOGUE_DOCS, type ImageDoc } from '../../engine/kubelet/catalogueDocs';

/**
 * The console's `images`: the simulated registry — every image a pod can run here, with its
 * tags, ports, what it does and what it needs. Any other image fails to pull, as on a real
 * cluster. (The same table as docs/images.md.)
 */
export function imagesHelp(filter = ''): string {
  const wanted = filter.trim().toLowerCase();
  const docs = CATALOGUE_DOCS.filter((d) => wanted === '' || d.image.toLowerCase().includes(wanted));
  if (docs.length === 0) return `no image matches "${filter.trim()}" (type "images" for the whole catalogue)`;
  const width = Math.max(...docs.map((d) => d.image.length));
  const entry = (d: ImageDoc): string => `  ${d.image.padEnd(width)}  tags: ${d.tags}  ports: ${d.ports}\n  ${' '.repeat(width)}  ${d.does}${d.needs === 'Nothing.' ? '' : ` Needs: ${d.needs}`}`;
  const group = (g: ImageDoc['group'], title: string): string[] => {
    const list = docs.filter((d) => d.group === g);
    return list.length === 0 ? [] : [title, ...list.map(entry)];
  };
  return [
    ...group('public', 'Public images (any tag; anything else fails to pull):'),
    ...group('teaching', "Kubeplay's teaching images (only the tags listed):"),
  ].join('\n');
}
