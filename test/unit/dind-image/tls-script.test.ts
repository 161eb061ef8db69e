// dind-tls.sh run on the host's sh and openssl into a temporary CERTDIR: the material it makes
// verifies and carries a TLS handshake with client authentication, is reused or renewed as its
// header says, and a bad DOCKER_TLS_SAN stops it with openssl's reason. The engine tests show
// dockerd and the docker CLI using it.
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tls from "node:tls";
import { DOCKERFILE_DIR } from "../../../components/dind-image/build-context";

const SCRIPT = path.join(DOCKERFILE_DIR, "dind-tls.sh");
let dir: string;

function makeCerts(san = ""): { status: number | null; log: string } {
  const result = spawnSync("sh", [SCRIPT, dir], { encoding: "utf8", env: { ...process.env, DOCKER_TLS_SAN: san } });
  return { status: result.status, log: result.stdout + result.stderr };
}

const file = (relative: string) => path.join(dir, relative);
const bytes = (relative: string) => fs.readFileSync(file(relative));
const openssl = (...args: string[]) => execFileSync("openssl", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
const mode = (relative: string) => (fs.statSync(file(relative)).mode & 0o777).toString(8);
const daysLeft = (relative: string) => (Date.parse(openssl("x509", "-noout", "-enddate", "-in", file(relative)).split("=")[1]) - Date.now()) / 86_400_000;

/** Opens a TLS connection from the client material to a server using the server material; resolves when both sides accept it. */
function handshake(): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = tls.createServer({ key: bytes("server/key.pem"), cert: bytes("server/cert.pem"), ca: bytes("server/ca.pem"), requestCert: true, rejectUnauthorized: true }, (socket) => {
      socket.end("ok");
    });
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      const client = tls.connect({ host: "127.0.0.1", port, servername: "docker", key: bytes("client/key.pem"), cert: bytes("client/cert.pem"), ca: bytes("client/ca.pem") });
      client.on("data", () => {
        client.end();
        server.close();
        resolve();
      });
      client.on("error", (error) => {
        server.close();
        reject(error);
      });
    });
  });
}

describe("dind-tls.sh", () => {
  beforeEach(() => {
    dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "dind-stack-tls-")), "certs");
  });
  afterEach(() => fs.rmSync(path.dirname(dir), { recursive: true, force: true }));

  test("a first start makes a CA, a client and a server certificate that verify for their purpose and shake hands", async () => {
    const result = makeCerts("DNS:build.example, 10.9.8.7,runner-host fd00::7");
    expect(result.status).toBe(0);
    expect(openssl("verify", "-purpose", "sslserver", "-CAfile", file("server/ca.pem"), file("server/cert.pem"))).toContain("OK");
    expect(openssl("verify", "-purpose", "sslclient", "-CAfile", file("client/ca.pem"), file("client/cert.pem"))).toContain("OK");
    expect(openssl("pkey", "-in", file("server/key.pem"), "-noout", "-text")).toContain("prime256v1");
    const names = openssl("x509", "-noout", "-ext", "subjectAltName", "-in", file("server/cert.pem"));
    for (const name of [`DNS:${os.hostname()}`, "DNS:docker", "DNS:localhost", "IP Address:127.0.0.1", "DNS:build.example", "IP Address:10.9.8.7", "DNS:runner-host", "IP Address:FD00:0:0:0:0:0:0:7"]) {
      expect(names).toContain(name);
    }
    await handshake();
    expect(result.log).toMatch(/TLS: material ready in \d+ ms/);
  });

  test("keys of the CA and the server are private to root; client files are readable by any user", () => {
    makeCerts();
    expect([mode("ca/key.pem"), mode("server/key.pem")]).toEqual(["600", "600"]);
    expect(["key", "cert", "ca"].map((name) => mode(`client/${name}.pem`))).toEqual(["644", "644", "644"]);
  });

  test("a restart keeps the CA and the client certificate, and makes a new server certificate", async () => {
    makeCerts();
    const before = { caKey: bytes("ca/key.pem"), caCert: bytes("ca/cert.pem"), client: bytes("client/cert.pem"), server: bytes("server/cert.pem") };
    expect(makeCerts().status).toBe(0);
    expect(bytes("ca/key.pem")).toEqual(before.caKey);
    expect(bytes("ca/cert.pem")).toEqual(before.caCert);
    expect(bytes("client/cert.pem")).toEqual(before.client);
    expect(bytes("server/cert.pem")).not.toEqual(before.server);
    await handshake();
  });

  test("a client certificate with less than 30 days left is renewed under the same CA", () => {
    makeCerts();
    const caCert = bytes("ca/cert.pem");
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-noenc", "-days", "10", "-subj", "/CN=old",
      "-CA", file("ca/cert.pem"), "-CAkey", file("ca/key.pem"), "-keyout", file("client/key.pem"), "-out", file("client/cert.pem"));
    expect(daysLeft("client/cert.pem")).toBeLessThan(11);
    expect(makeCerts().status).toBe(0);
    expect(daysLeft("client/cert.pem")).toBeGreaterThan(800);
    expect(bytes("ca/cert.pem")).toEqual(caCert);
  });

  test("a lost CA is made anew, and the client certificate with it", async () => {
    makeCerts();
    const oldClient = bytes("client/cert.pem");
    fs.rmSync(file("ca"), { recursive: true });
    expect(makeCerts().status).toBe(0);
    expect(bytes("client/cert.pem")).not.toEqual(oldClient);
    expect(bytes("client/ca.pem")).toEqual(bytes("ca/cert.pem"));
    await handshake();
  });

  test("a name openssl cannot use stops the start with openssl's reason", () => {
    const result = makeCerts("IP:not-an-address");
    expect(result.status).toBe(1);
    expect(result.log).toMatch(/ERROR: TLS: openssl could not make the certificate for \S+: .*not-an-address/i);
  });
});
