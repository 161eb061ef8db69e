import * as net from "node:net";

/** An HTTP(S) proxy on 127.0.0.1 that answers every request with 502: a network that reaches nothing. */
export interface RefusingProxy {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** First line of every request it got, e.g. `CONNECT get.pulumi.com:443 HTTP/1.1`. */
  requests: string[];
  /** Stops it. */
  close: () => Promise<void>;
}

/** Starts a RefusingProxy. */
export async function startRefusingProxy(): Promise<RefusingProxy> {
  const requests: string[] = [];
  const server = net.createServer((socket) => {
    socket.once("data", (data) => {
      requests.push(data.toString("latin1").split("\r\n")[0]);
      socket.end("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n");
    });
    socket.on("error", () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/**
 * Environment that sends Node's fetch through `proxy` (NODE_USE_ENV_PROXY, Node >= 22.21), so a
 * download attempt is really made and fails on this machine without any traffic leaving it.
 */
export function throughProxy(proxy: RefusingProxy): NodeJS.ProcessEnv {
  const [major, minor] = process.versions.node.split(".").map(Number);
  if (major < 22 || (major === 22 && minor < 21)) throw new Error(`node ${process.versions.node} ignores NODE_USE_ENV_PROXY; these tests need >= 22.21 to keep downloads on 127.0.0.1`);
  return { NODE_USE_ENV_PROXY: "1", HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url, NO_PROXY: "", NODE_NO_WARNINGS: "1" };
}
