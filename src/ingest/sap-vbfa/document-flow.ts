/**
 * The VBFA document graph: links predecessor → successor, grouped into connected flows.
 *
 * Documents are keyed by their number as text (leading zeros kept). Flows are the connected
 * components of the links, found with a union-find (union by size, path halving), so a flow's
 * documents need not arrive together or in order.
 *
 * One number is one document here. SAP number ranges are per category, and material documents
 * (category R) repeat across years, so two documents sharing a number are merged into one, and
 * their flows with them; this is what the published counts of the shared file assume too.
 */

/** Facts of one successor document: its earliest link row. */
interface SuccessorFacts {
  /** Earliest creation time over its link rows (epoch ms). */
  time: number;
  /** Category of that earliest row (the first such row on ties). */
  category: string;
}

/** Accumulates links, then answers each document's flow and the flow's root. */
export class DocumentFlow {
  readonly #index = new Map<string, number>();
  readonly #numbers: string[] = [];
  readonly #parent: number[] = [];
  readonly #size: number[] = [];
  /** Earliest time each document appears as a predecessor, NaN when never. */
  readonly #asPredecessor: number[] = [];
  readonly #successor = new Map<number, SuccessorFacts>();

  /** Adds one link row; `predecessor` is null when the row has none. */
  addLink(predecessor: string | null, successor: string, category: string, time: number): void {
    const to = this.#node(successor);
    const facts = this.#successor.get(to);
    if (facts === undefined) this.#successor.set(to, { time, category });
    else if (time < facts.time) {
      facts.time = time;
      facts.category = category;
    }
    if (predecessor === null) return;
    const from = this.#node(predecessor);
    const seen = this.#asPredecessor[from];
    if (Number.isNaN(seen) || time < seen) this.#asPredecessor[from] = time;
    this.#union(from, to);
  }

  /** Number of distinct successor documents (the events). */
  get successorCount(): number {
    return this.#successor.size;
  }

  /** Number of connected flows (the cases). */
  get flowCount(): number {
    let n = 0;
    for (let i = 0; i < this.#parent.length; i++) if (this.#parent[i] === i) n++;
    return n;
  }

  /**
   * Calls `visit` for each successor document in order of first appearance, with the root
   * document of its flow: the flow's earliest pure predecessor (a document never a successor,
   * by the time of its first outgoing link, then by number), or, in a flow without one (a
   * cycle, or a successor listed with no predecessor), its earliest successor.
   */
  forEachSuccessor(
    visit: (document: string, root: string, category: string, time: number) => void,
  ): void {
    const roots = this.#roots();
    for (const [node, facts] of this.#successor) {
      visit(this.#numbers[node], this.#numbers[roots.get(this.#find(node)) as number],
        facts.category, facts.time);
    }
  }

  /** Flow representative → the document chosen as its root. */
  #roots(): Map<number, number> {
    const roots = new Map<number, number>();
    const better = (a: number, ta: number, b: number, tb: number) =>
      ta < tb || (ta === tb && this.#numbers[a] < this.#numbers[b]);
    for (let node = 0; node < this.#numbers.length; node++) {
      const t = this.#asPredecessor[node];
      if (Number.isNaN(t) || this.#successor.has(node)) continue;
      const flow = this.#find(node);
      const best = roots.get(flow);
      if (best === undefined || better(node, t, best, this.#asPredecessor[best])) {
        roots.set(flow, node);
      }
    }
    // Flows with no pure predecessor: their earliest successor, first appearance on ties.
    for (const [node, facts] of this.#successor) {
      const flow = this.#find(node);
      const best = roots.get(flow);
      if (best === undefined) roots.set(flow, node);
      else if (this.#successor.has(best) &&
        facts.time < (this.#successor.get(best) as SuccessorFacts).time) roots.set(flow, node);
    }
    return roots;
  }

  #node(number: string): number {
    let i = this.#index.get(number);
    if (i === undefined) {
      i = this.#numbers.length;
      this.#index.set(number, i);
      this.#numbers.push(number);
      this.#parent.push(i);
      this.#size.push(1);
      this.#asPredecessor.push(NaN);
    }
    return i;
  }

  #find(i: number): number {
    const parent = this.#parent;
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  }

  #union(a: number, b: number): void {
    let ra = this.#find(a);
    let rb = this.#find(b);
    if (ra === rb) return;
    if (this.#size[ra] < this.#size[rb]) [ra, rb] = [rb, ra];
    this.#parent[rb] = ra;
    this.#size[ra] += this.#size[rb];
  }
}
