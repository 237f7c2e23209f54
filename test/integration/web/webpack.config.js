// Bundles the web suite (index.ts + web.test.ts) for the web worker extension host: one CommonJS file, as the
// host loads extensionTestsPath, with mocha's browser build and the `assert` package in place of Node's.
// `npm run test:web` builds it to out/webSuite/index.js (inside the repository, the development extension's
// folder, so the workbench runs the tests in the host that runs the extension).
'use strict';
const path = require('path');
const webpack = require('webpack');

const root = path.resolve(__dirname, '../../..');

module.exports = {
  mode: 'development',
  devtool: 'source-map',
  target: 'webworker',
  entry: { index: path.join(__dirname, 'index.ts') },
  output: { path: path.join(root, 'out/webSuite'), filename: '[name].js', libraryTarget: 'commonjs2' },
  externals: { vscode: 'commonjs vscode' },
  resolve: {
    extensions: ['.ts', '.js'],
    mainFields: ['browser', 'module', 'main'],
    // helpers.ts also serves the Node suite: its CLI helper (child_process, path) is never called here.
    fallback: { assert: require.resolve('assert/'), child_process: false, path: false },
  },
  module: {
    rules: [{
      test: /\.ts$/, exclude: /node_modules/,
      use: [{ loader: 'ts-loader', options: { transpileOnly: true, configFile: path.join(root, 'tsconfig.base.json'), compilerOptions: { composite: false, module: 'es2022', moduleResolution: 'bundler', sourceMap: true } } }],
    }],
  },
  plugins: [new webpack.ProvidePlugin({ process: 'process/browser' })],
  // mocha's browser build has a dynamic require of its own; nothing to bundle there.
  ignoreWarnings: [{ module: /mocha\.js/, message: /Critical dependency/ }],
  performance: { hints: false },
  stats: 'errors-warnings',
};
