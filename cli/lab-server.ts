/**
 * `rnnlab lab`'s server: the lab's static files (web/dist, built by `npm run build`) and nothing else. GET and HEAD
 * only, paths resolved inside the folder (no traversal, no dot-files, no symlinks out), every response with the
 * page's Content-Security-Policy, so the browser refuses any request to another origin even if a page asked.
 */
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import { RnnlabError } from '@rnnlab/engine';

export const LAB_CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; style-src 'self'; " +
  "img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; " +
  "frame-ancestors 'none'";

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** The built lab: the copy beside the compiled CLI (cli/dist/lab, in its package), else web/dist of the checkout. */
export function labFolder(given?: string): string {
  const candidates = given
    ? [path.resolve(given)]
    : [
        path.resolve(__dirname, 'lab'), // compiled: cli/dist/lab-server.js beside cli/dist/lab
        path.resolve(__dirname, '..', 'web', 'dist'), // sources: cli/lab-server.ts in the checkout
        path.resolve(__dirname, '..', '..', 'web', 'dist'), // compiled, in the checkout
      ];
  const found = candidates.find((d) => fs.existsSync(path.join(d, 'index.html')));
  if (!found)
    throw new RnnlabError(
      given
        ? `${given} holds no index.html (is it the lab's build folder, web/dist?)`
        : 'the lab is not built here: run `npm ci` (with the development tools: the lab needs vite) and ' +
            '`npm run build` in the checkout (it writes web/dist)',
    );
  return fs.realpathSync(found);
}

/** The file a request path names inside `root`, or null (outside it, hidden, missing or not a file). */
function fileOf(root: string, urlPath: string): string | null {
  let p: string;
  try {
    p = decodeURIComponent(urlPath.split('?')[0].split('#')[0]);
  } catch {
    return null;
  }
  if (p.includes('\0')) return null;
  if (p.endsWith('/')) p += 'index.html';
  const full = path.resolve(root, `.${path.posix.normalize(p)}`);
  if (full !== root && !full.startsWith(root + path.sep)) return null;
  if (
    path
      .relative(root, full)
      .split(path.sep)
      .some((s) => s.startsWith('.'))
  )
    return null;
  try {
    const real = fs.realpathSync(full);
    if (!real.startsWith(root + path.sep) || !fs.statSync(real).isFile()) return null;
    return real;
  } catch {
    return null;
  }
}

function handler(root: string): http.RequestListener {
  return (req, res) => {
    const headers = {
      'Content-Security-Policy': LAB_CSP,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-cache',
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...headers, Allow: 'GET, HEAD' }).end();
      return;
    }
    const file = fileOf(root, req.url ?? '/');
    if (!file) {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
    res.writeHead(200, { ...headers, 'Content-Type': type, 'Content-Length': fs.statSync(file).size });
    if (req.method === 'HEAD') res.end();
    else fs.createReadStream(file).pipe(res);
  };
}

/** Serve `root` on host:port (0: any free port); resolves with the address once listening. */
export function serveLab(root: string, host = '127.0.0.1', port = 5178): Promise<{ url: string; server: http.Server }> {
  const server = http.createServer(handler(root));
  return new Promise((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        new RnnlabError(
          e.code === 'EADDRINUSE' ? `port ${port} on ${host} is in use (try --port 0)` : `cannot serve: ${e.message}`,
        ),
      ),
    );
    server.listen(port, host, () => {
      const a = server.address() as { port: number };
      const h = host.includes(':') ? `[${host}]` : host;
      resolve({ url: `http://${h}:${a.port}/`, server });
    });
  });
}
