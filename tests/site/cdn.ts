import type { Build } from './build.js';
import { CdnLayout, canvaskitDir } from './cdnLayout.js';
import type { Listener } from './listener.js';
import { Origin, type Shared } from './origin.js';
import { Resources, type Snapshot } from './resources.js';
import type { CdnOrigin } from './site.js';

/** The site's second origin, a CDN like www.gstatic.com serving CanvasKit per engine revision. */
export class CdnServer extends Origin implements CdnOrigin {
  readonly engineRevision: string;
  readonly canvaskitBaseUrl: string;
  readonly #snapshot: () => Snapshot;

  constructor(listener: Listener, build: Build, engineRevision: string, shared: Shared, snapshot: () => Snapshot) {
    super(listener, new Resources(new CdnLayout(build, engineRevision)), shared);
    this.engineRevision = engineRevision;
    this.canvaskitBaseUrl = listener.origin + canvaskitDir(engineRevision);
    this.#snapshot = snapshot;
  }

  protected snapshot(): Snapshot {
    return this.#snapshot();
  }

  clearFailures(): void {
    this.faults.clear();
  }

  resetCounters(): void {
    this.traffic.reset();
  }

  close(): Promise<void> {
    return this.listener.close();
  }
}
