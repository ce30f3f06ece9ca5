import { checkVersion } from './options.js';
import { formatHttpDate, toWholeSecond } from './httpDate.js';

/** One deploy of the site: which build, when, and every build deployed so far. */
export interface Deploy {
  /** The build number: main.dart.js's trailer, the page's manifest. */
  readonly version: number;
  /** The deploy's time, ms since the epoch, whole seconds; the files' mtime. */
  readonly deployedAt: number;
  /** `deployedAt` as an HTTP-date: the `Last-Modified` of the deploy's files. */
  readonly lastModified: string;
  /** Builds deployed up to and including this one, oldest first, each once. */
  readonly builds: readonly number[];
}

/**
 * The deploy history. A deploy is one immutable object that a request takes
 * when it arrives, so a response never mixes two deploys' bytes and
 * validators. Deploy times come from the clock in whole seconds and always
 * move forward by at least one second, so two deploys in the same second
 * still get different `Last-Modified` values (the later one is stamped
 * up to a second or so ahead of the clock; responses then carry a `Date`
 * no earlier than it).
 */
export class Deploys {
  readonly #clock: () => number;
  readonly #history: Deploy[] = [];

  /** `clock` must already be checked (see `checkedClock`). */
  constructor(version: number, clock: () => number) {
    this.#clock = clock;
    this.#push(version);
  }

  get current(): Deploy {
    return this.#history[this.#history.length - 1]!;
  }

  /** Deploys `version` (default: the current one + 1) and returns the new deploy. */
  deploy(version = this.current.version + 1): Deploy {
    return this.#push(checkVersion(version));
  }

  /**
   * The last deploy of `version`, or, for a build never deployed, what its
   * deploy would look like now (so `body(path, 3)` works before `deploy(3)`).
   */
  of(version: number): Deploy {
    checkVersion(version);
    for (let i = this.#history.length - 1; i >= 0; i--) {
      if (this.#history[i]!.version === version)
        return this.#history[i]!;
    }
    return this.#make(version);
  }

  #push(version: number): Deploy {
    const deploy = this.#make(version);
    this.#history.push(deploy);
    return deploy;
  }

  #make(version: number): Deploy {
    const previous = this.#history[this.#history.length - 1];
    const now = toWholeSecond(this.#clock());
    const deployedAt = previous ? Math.max(now, previous.deployedAt + 1000) : now;
    const builds = previous ? [...previous.builds.filter(build => build !== version), version] : [version];
    return { version, deployedAt, lastModified: formatHttpDate(deployedAt), builds };
  }
}
