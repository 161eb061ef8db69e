// Lists a tar or tar.gz archive for storage-archive.ts, which runs it as a child process so that
// the config check stays synchronous while the archive is streamed (it may be gigabytes):
//   node list-archive.cjs FILE MAX_BYTES
// prints one JSON object: every entry's name, type, size and link target, the archive file's
// sha256, and `overLimit` when the entries' sizes passed MAX_BYTES (reading stops there).
"use strict";
const crypto = require("node:crypto");
const fs = require("node:fs");
const zlib = require("node:zlib");
const tar = require("tar-stream");

const [file, maxBytesText] = process.argv.slice(2);
const maxBytes = Number(maxBytesText);
const entries = [];
const hash = crypto.createHash("sha256");
let total = 0;
let settled = false;

function finish(result) {
  if (settled) return;
  settled = true;
  process.stdout.write(JSON.stringify(result));
  process.exit(0);
}

const head = Buffer.alloc(2);
const fd = fs.openSync(file, "r");
const gzip = fs.readSync(fd, head, 0, 2, 0) === 2 && head[0] === 0x1f && head[1] === 0x8b;
fs.closeSync(fd);

const source = fs.createReadStream(file);
source.on("data", (chunk) => hash.update(chunk));
const extract = tar.extract();
extract.on("entry", (header, stream, next) => {
  entries.push({ name: header.name, type: header.type, size: header.size ?? 0, linkname: header.linkname ?? undefined });
  total += header.size ?? 0;
  if (total > maxBytes) {
    source.destroy();
    finish({ entries, sha256: "", overLimit: true });
    return;
  }
  stream.on("end", next);
  stream.resume();
});
extract.on("finish", () => finish({ entries, sha256: hash.digest("hex"), overLimit: false }));
const fail = (error) => {
  if (settled) return;
  process.stderr.write(String(error && error.message ? error.message : error));
  process.exit(2);
};
extract.on("error", fail);
source.on("error", fail);
(gzip ? source.pipe(zlib.createGunzip()).on("error", fail) : source).pipe(extract);
