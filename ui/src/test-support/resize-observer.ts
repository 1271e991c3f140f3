// A ResizeObserver for jsdom, which lays nothing out and has none: it remembers what is
// observed, and `fire()` calls every live observer as the browser would after a size change.

type Callback = ResizeObserverCallback;

const live = new Set<FakeResizeObserver>();

class FakeResizeObserver implements ResizeObserver {
  readonly targets = new Set<Element>();
  constructor(private readonly callback: Callback) {
    live.add(this);
  }
  observe(target: Element): void {
    this.targets.add(target);
  }
  unobserve(target: Element): void {
    this.targets.delete(target);
  }
  disconnect(): void {
    this.targets.clear();
    live.delete(this);
  }
  fire(): void {
    const entries = [...this.targets].map((target) => ({ target }) as ResizeObserverEntry);
    if (entries.length > 0) this.callback(entries, this);
  }
}

export const resizeObservers = {
  Observer: FakeResizeObserver as unknown as typeof ResizeObserver,
  /** Calls every observer that observes something, as after a layout that changed sizes. */
  fire(): void {
    for (const observer of live) observer.fire();
  },
  clear(): void {
    live.clear();
  },
};
