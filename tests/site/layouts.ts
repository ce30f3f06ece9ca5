import { Build } from './build.js';
import { canvaskitDir } from './cdnLayout.js';
import { FlutterLayout } from './flutter/layout.js';
import { LegacyLayout } from './legacyLayout.js';
import type { ResolvedOptions } from './options.js';
import type { Layout } from './resources.js';

/** The site's layout, and the build whose CanvasKit bytes the CDN serves too. */
export function makeLayout(options: ResolvedOptions, cdnOrigin: string): { layout: Layout; build: Build } {
  if (options.layout === 'legacy') {
    const build = new Build();
    return { layout: new LegacyLayout(build), build };
  }
  const { engineRevision } = options;
  const canvasKitBaseUrl = options.localCanvasKit ? 'canvaskit/' : cdnOrigin + canvaskitDir(engineRevision);
  const layout = new FlutterLayout({ engineRevision, canvasKitBaseUrl });
  return { layout, build: layout.build };
}
