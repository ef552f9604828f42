/**
 * The lab's build (Vite): one static folder (web/dist) with relative paths, so it can be served by `rnnlab lab` or
 * published as is under any path. The @rnnlab packages resolve to their TypeScript sources (as in tsconfig.json's
 * paths), so the bundle takes only the browser-safe entries it imports and needs no compiled dist/ first.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const source = (p: string) => fileURLToPath(new URL(`../${p}`, import.meta.url));

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  resolve: {
    alias: [
      { find: /^@rnnlab\/engine$/, replacement: source('engine/index.ts') },
      { find: /^@rnnlab\/engine\/keras$/, replacement: source('engine/keras.ts') },
      { find: /^@rnnlab\/engine\/psychrnn$/, replacement: source('engine/psychrnn.ts') },
      { find: /^@rnnlab\/engine\/advanced$/, replacement: source('engine/advanced.ts') },
      { find: /^@rnnlab\/tasks$/, replacement: source('tasks/index.ts') },
      { find: /^@rnnlab\/analysis\/browser$/, replacement: source('analysis/browser.ts') },
      { find: /^@rnnlab\/experiments\/share$/, replacement: source('experiments/run/share.ts') },
    ],
  },
  worker: { format: 'es' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The plotting grammar (vega, vega-lite) is most of the app: one chunk, loaded once.
    chunkSizeWarningLimit: 2000,
  },
});
