/** A binary min-heap keyed by a number: one timer loop for thousands of accounts. */
export interface HeapEntry {
  at: number;
  key: string;
}

export function createMinHeap() {
  const items: HeapEntry[] = [];
  const swap = (i: number, j: number): void => {
    const a = items[i];
    const b = items[j];
    if (a === undefined || b === undefined) return;
    items[i] = b;
    items[j] = a;
  };
  const atOf = (i: number): number => items[i]?.at ?? Number.POSITIVE_INFINITY;
  return {
    get size(): number {
      return items.length;
    },
    push(entry: HeapEntry): void {
      items.push(entry);
      let i = items.length - 1;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        if (atOf(parent) <= atOf(i)) break;
        swap(i, parent);
        i = parent;
      }
    },
    peek(): HeapEntry | undefined {
      return items[0];
    },
    pop(): HeapEntry | undefined {
      const top = items[0];
      const last = items.pop();
      if (items.length > 0 && last !== undefined) {
        items[0] = last;
        let i = 0;
        for (;;) {
          const l = 2 * i + 1;
          const r = l + 1;
          let m = i;
          if (atOf(l) < atOf(m)) m = l;
          if (atOf(r) < atOf(m)) m = r;
          if (m === i) break;
          swap(i, m);
          i = m;
        }
      }
      return top;
    },
  };
}
