/** One file the page loads, with the digest the deployed build promises. */
export interface BuiltAsset {
  readonly url: string;
  /** Hex SHA-256 of the built bytes; the page refuses anything else. */
  readonly sha256: string;
}

/**
 * What Flutter's build writes into its bootstrap config; here it sits in the
 * HTML because the bootstrap script itself is unversioned.
 */
export interface PageManifest {
  readonly version: number;
  readonly main: BuiltAsset;
  readonly canvaskitJs: BuiltAsset;
  readonly canvaskitWasm: BuiltAsset;
}

/**
 * The index.html of the given build. The 64x64 canvas is the CanvasKit
 * target; the bootstrap loads everything else and reports on `window.__site`.
 */
export function renderPage(manifest: PageManifest): string {
  // `<` is escaped so no value can close the inline script early.
  const config = JSON.stringify(manifest).replace(/</g, '\\u003c');
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>loading</title>
  <link rel="icon" href="data:,">
  <script>window.__siteBuild = ${config};</script>
</head>
<body>
  <canvas id="c" width="64" height="64"></canvas>
  <script src="/flutter_bootstrap.js" async></script>
</body>
</html>
`;
}
