/**
 * `rnnlab lab`'s static server (cli/lab-server.ts): the lab's folder and nothing else, with the page's
 * Content-Security-Policy on every response.
 */
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { LAB_CSP, labFolder, serveLab } from '../../cli/lab-server';

/** A raw request (the path is sent as written: no client-side normalisation of "..", "%2e%2e" or "%00"). */
function request(
  url: string,
  rawPath: string,
  method = 'GET',
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, path: rawPath, method }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the lab server', () => {
  let tmp: string;
  let url: string;
  let server: http.Server;
  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rnnlab-lab-'));
    const site = path.join(tmp, 'site');
    fs.mkdirSync(path.join(site, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(site, 'index.html'), '<!doctype html><title>lab</title>');
    fs.writeFileSync(path.join(site, 'assets', 'app.js'), 'export {};');
    fs.writeFileSync(path.join(site, '.env'), 'SECRET=1');
    fs.writeFileSync(path.join(tmp, 'secret.txt'), 'outside');
    fs.symlinkSync(path.join(tmp, 'secret.txt'), path.join(site, 'link.txt'));
    ({ url, server } = await serveLab(labFolder(site), '127.0.0.1', 0));
  });
  afterAll(() => {
    server.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('serves the page and its assets with the CSP and their types', async () => {
    const page = await request(url, '/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>lab</title>');
    expect(page.headers['content-security-policy']).toBe(LAB_CSP);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    const js = await request(url, '/assets/app.js');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toMatch(/^text\/javascript/);
    expect(js.headers['content-security-policy']).toBe(LAB_CSP);
  });

  it.each([
    ['a parent path', '/../secret.txt'],
    ['an encoded parent path', '/%2e%2e/secret.txt'],
    ['an encoded slash', '/assets%2f..%2f..%2fsecret.txt'],
    ['a symlink out of the folder', '/link.txt'],
    ['a dot-file', '/.env'],
    ['a NUL byte', '/index.html%00.js'],
    ['a malformed escape', '/%E0%A4%A'],
    ['a missing file', '/nope.js'],
    ['a folder', '/assets'],
  ])('answers 404 to %s', async (_what, p) => {
    const r = await request(url, p);
    expect(r.status).toBe(404);
    expect(r.body).not.toContain('outside');
    expect(r.body).not.toContain('SECRET');
  });

  it('answers 405 to anything but GET and HEAD', async () => {
    expect((await request(url, '/', 'POST')).status).toBe(405);
    expect((await request(url, '/', 'PUT')).status).toBe(405);
    const head = await request(url, '/', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
  });

  it('refuses a folder without a page, and a port in use, in one line', async () => {
    expect(() => labFolder(tmp)).toThrow(/holds no index.html/);
    const port = Number(new URL(url).port);
    await expect(serveLab(labFolder(path.join(tmp, 'site')), '127.0.0.1', port)).rejects.toThrow(
      /port \d+ .* is in use/,
    );
  });

  it('has the CSP of the page itself (web/index.html), word for word, plus frame-ancestors', () => {
    const html = fs.readFileSync(path.join(__dirname, '..', '..', 'web', 'index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(html)![1];
    const norm = (s: string) =>
      s
        .split(';')
        .map((d) => d.trim().replace(/\s+/g, ' '))
        .filter(Boolean);
    expect(norm(LAB_CSP)).toEqual([...norm(meta), "frame-ancestors 'none'"]);
  });
});
