/**
 * Reads the text of a BuildKit build's progress: the engine streams it as base64
 * `moby.buildkit.v1.StatusResponse` protobuf messages (aux of `moby.buildkit.trace`).
 * Only what a build log shows is decoded: step names (Vertex.name = field 3 of
 * StatusResponse.vertexes = field 1) and output (VertexLog.msg = field 4 of
 * StatusResponse.logs = field 3).
 */

/** A protobuf field: its number and, for length-delimited fields, its bytes. */
interface ProtoField {
  number: number;
  bytes?: Buffer;
}

function readVarint(buffer: Buffer, offset: number): [number, number] {
  let value = 0;
  let shift = 0;
  let position = offset;
  for (;;) {
    const byte = buffer[position++];
    value += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return [value, position];
    shift += 7;
  }
}

/** The top-level fields of one protobuf message. */
function fields(buffer: Buffer): ProtoField[] {
  const result: ProtoField[] = [];
  let offset = 0;
  while (offset < buffer.length) {
    const [key, afterKey] = readVarint(buffer, offset);
    const number = Math.floor(key / 8);
    switch (key & 7) {
      case 0:
        offset = readVarint(buffer, afterKey)[1];
        result.push({ number });
        break;
      case 1:
        offset = afterKey + 8;
        result.push({ number });
        break;
      case 2: {
        const [length, start] = readVarint(buffer, afterKey);
        result.push({ number, bytes: buffer.subarray(start, start + length) });
        offset = start + length;
        break;
      }
      case 5:
        offset = afterKey + 4;
        result.push({ number });
        break;
      default:
        throw new Error(`unsupported protobuf wire type ${key & 7}`);
    }
  }
  return result;
}

/** Log text carried by one `moby.buildkit.trace` aux value: step names and their output. */
export function buildkitTraceText(aux: string): string {
  const lines: string[] = [];
  for (const field of fields(Buffer.from(aux, "base64"))) {
    if (field.number === 1 && field.bytes) {
      const name = fields(field.bytes).find((inner) => inner.number === 3)?.bytes;
      if (name) lines.push(`#step ${name.toString()}\n`);
    } else if (field.number === 3 && field.bytes) {
      const message = fields(field.bytes).find((inner) => inner.number === 4)?.bytes;
      if (message) lines.push(message.toString());
    }
  }
  return lines.join("");
}
