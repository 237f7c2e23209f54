// One config array, one entry per zone (STYLE.md §7): the extension host, the CLI (both Node),
// the playground / profile webview (browser) and the notebook renderer (ES module).
// Type-checking is separate (`npm run typecheck`, tsc -b); ts-loader only transpiles here.
'use strict';
const path = require('path');
const webpack = require('webpack');

const tsRule = {
  test: /\.ts$/,
  exclude: /node_modules/,
  use: [{ loader: 'ts-loader', options: { transpileOnly: true, configFile: path.resolve(__dirname, 'tsconfig.base.json'), compilerOptions: { composite: false, module: 'es2022', moduleResolution: 'bundler', sourceMap: true } } }],
};
const common = (mode) => ({
  mode: mode || 'production',
  devtool: 'source-map',
  resolve: { extensions: ['.ts', '.js', '.mjs'] },
  module: { rules: [tsRule] },
  performance: { hints: false },
  stats: 'errors-warnings',
});

module.exports = (_env, argv) => {
  const mode = argv && argv.mode;
  const out = path.resolve(__dirname, 'dist');
  const extension = {
    ...common(mode),
    name: 'extension',
    target: 'node',
    // The analysis worker (worker_threads) runs the core off the extension-host thread; see analysisRunner.ts.
    entry: { extension: './extension/main.ts', analysisWorker: './extension/worker/analysisWorker.ts' },
    output: { path: out, filename: '[name].js', libraryTarget: 'commonjs2' },
    externals: { vscode: 'commonjs vscode' },
  };
  const cli = {
    ...common(mode),
    name: 'cli',
    target: 'node',
    entry: { cli: './extension/cli/index.ts' },
    output: { path: out, filename: '[name].js', libraryTarget: 'commonjs2' },
    // `convlens` is the package's bin: the bundle starts with a shebang.
    plugins: [new webpack.BannerPlugin({ banner: '#!/usr/bin/env node', raw: true, entryOnly: true })],
  };
  // The playground webview (browser). ORT's `new URL('….wasm', import.meta.url)` makes webpack emit
  // the .wasm files next to the bundle; `publicPath: 'auto'` resolves them from the script's own URL
  // (the asWebviewUri of dist/webview), so nothing comes from a CDN.
  const webview = {
    ...common(mode),
    name: 'webview',
    target: 'web',
    entry: { playground: './webview/panel/main.ts', profile: './webview/profile/main.ts' },
    output: { path: path.resolve(out, 'webview'), filename: '[name].js', chunkFilename: '[name].chunk.js', publicPath: 'auto', assetModuleFilename: '[name].[contenthash:8][ext]' },
  };
  // The notebook renderer: an ES module VS Code imports into the notebook's webview. Chunks (ORT) and
  // assets (.wasm, .css) are emitted next to it and resolved from its own URL (publicPath 'auto' →
  // import.meta.url); nothing comes from a CDN.
  const renderer = {
    ...common(mode),
    name: 'renderer',
    target: 'web',
    entry: { index: './webview/renderer/index.ts' },
    experiments: { outputModule: true },
    output: {
      path: path.resolve(out, 'renderer'), filename: '[name].js', chunkFilename: '[name].chunk.js', publicPath: 'auto',
      assetModuleFilename: '[name].[contenthash:8][ext]', library: { type: 'module' }, module: true, chunkFormat: 'module', chunkLoading: 'import',
    },
  };
  return [extension, cli, webview, renderer];
};
