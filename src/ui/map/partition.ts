/** The groups a zone can be put in from the Partition popover. */
export const PARTITION_GROUPS = ['A', 'B', 'C'] as const;

/** The non-empty groups of zone names, A first: what `partition` takes. */
export function partitionGroups(zones: readonly string[], choice: Readonly<Record<string, number>>): string[][] {
  const groups: string[][] = PARTITION_GROUPS.map(() => []);
  for (const z of zones) groups[choice[z] ?? 0]?.push(z);
  return groups.filter((g) => g.length > 0);
}

/** The active partition as the console writes it ("zone-a | zone-b"); '' when the network is whole. */
export function partitionText(snapshot: { readonly partition: readonly (readonly string[])[] | null; readonly nodes: readonly { readonly partitionGroup: number | null }[] }): string {
  const p = snapshot.partition;
  if (p === null) return '';
  const text = p.map((g) => g.join(', ')).join(' | ');
  // Hosts named in no group form one more group of their own.
  const rest = snapshot.nodes.some((n) => n.partitionGroup === p.length);
  return rest ? `${text} | the rest` : text;
}
