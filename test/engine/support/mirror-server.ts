import * as fs from "node:fs";
import * as http from "node:http";
import { AddressInfo } from "node:net";
import * as path from "node:path";

/** A static file server on 127.0.0.1 standing in for a download mirror; it records every request path. */
export interface MirrorServer {
  /** Base URL, e.g. http://127.0.0.1:41234. */
  url: string;
  /** Paths requested so far. */
  requests: string[];
  /** Stops the server. */
  close(): Promise<void>;
}

/** Serves the files under `root` read-only on a free loopback port. */
export async function serveMirror(root: string): Promise<MirrorServer> {
  const requests: string[] = [];
  const server = http.createServer((request, response) => {
    const requested = decodeURIComponent(new URL(request.url ?? "/", "http://mirror").pathname);
    requests.push(requested);
    const file = path.join(root, path.normalize(requested));
    if (!file.startsWith(root) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      response.writeHead(404).end("not found");
      return;
    }
    response.writeHead(200, { "content-length": fs.statSync(file).size });
    fs.createReadStream(file).pipe(response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
