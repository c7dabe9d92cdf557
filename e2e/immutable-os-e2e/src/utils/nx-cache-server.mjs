#!/usr/bin/env node
// A self-hosted Nx remote cache for the e2e: the HTTP API Nx calls when
// NX_SELF_HOSTED_REMOTE_CACHE_SERVER is set (https://nx.dev/recipes/running-tasks/self-hosted-caching:
// GET and PUT /v1/cache/{hash}, a bearer token), keeping every entry as a file in one folder. Two
// tokens, as the API has them: NX_CACHE_SERVER_TOKEN reads and writes; NX_CACHE_SERVER_READ_TOKEN
// only reads (a PUT with it gets the API's 403), for pull-request jobs.
// Started by nx-remote-cache.ts as its own process: the specs block their event loop in spawnSync.
// Usage: NX_CACHE_SERVER_TOKEN=... [NX_CACHE_SERVER_READ_TOKEN=...] node nx-cache-server.mjs <folder> <host> <port>
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';

const [folder, host, port] = process.argv.slice(2);
const token = process.env.NX_CACHE_SERVER_TOKEN;
const readToken = process.env.NX_CACHE_SERVER_READ_TOKEN;
if (!folder || !host || !port || !token) {
  console.error('Usage: NX_CACHE_SERVER_TOKEN=<token> node nx-cache-server.mjs <folder> <host> <port>');
  process.exit(2);
}
mkdirSync(folder, { recursive: true });

const server = createServer(async (request, response) => {
  const hash = /^\/v1\/cache\/([A-Za-z0-9_-]+)$/.exec(request.url ?? '')?.[1];
  const answer = (status) => {
    console.log(`${request.method} ${request.url} ${status}`);
    response.writeHead(status).end();
  };
  const readOnly = Boolean(readToken) && request.headers.authorization === `Bearer ${readToken}`;
  if (request.headers.authorization !== `Bearer ${token}` && !readOnly) return answer(401);
  if (!hash) return answer(404);
  if (readOnly && request.method === 'PUT') return answer(403);
  const entry = join(folder, hash);
  let partial;
  try {
    if (request.method === 'GET') {
      if (!existsSync(entry)) return answer(404);
      console.log(`GET ${request.url} 200`);
      response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': statSync(entry).size });
      await pipeline(createReadStream(entry), response);
      return;
    }
    if (request.method === 'PUT') {
      // An entry is never replaced (the API's 409); a partial upload never becomes one.
      if (existsSync(entry)) return answer(409);
      partial = `${entry}.${process.pid}.${Date.now()}.partial`;
      await pipeline(request, createWriteStream(partial));
      renameSync(partial, entry);
      return answer(200);
    }
    return answer(405);
  } catch (error) {
    console.error(`${request.method} ${request.url} failed: ${error.stack ?? error}`);
    if (partial) rmSync(partial, { force: true });
    if (!response.headersSent) answer(500);
    else response.destroy();
  }
});
server.listen(Number(port), host, () => console.log(`listening on http://${host}:${port}, entries in ${folder}`));
