import { deflateRawSync } from 'node:zlib';

/** Hand-made zip archives for the upload tests: sizes, flags and layout can be made to lie. */

export type ZipSpec = {
  name: string;
  data: Buffer;
  /** 8 deflate (default) or 0 stored. */
  method?: 0 | 8;
  /** What the headers claim the entry inflates to (default: the truth). */
  declaredSize?: number;
  flags?: number;
};

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * A zip of the given entries. `overlapLast` points the last directory record at the first
 * entry's local header (the overlapping-entry bomb); `hiddenBytes` inserts unlisted data
 * between the entries and the directory.
 */
export function makeZip(specs: ZipSpec[], options: { overlapLast?: boolean; hiddenBytes?: Buffer } = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  const offsets: number[] = [];
  for (const spec of specs) {
    const method = spec.method ?? 8;
    const compressed = method === 8 ? deflateRawSync(spec.data) : spec.data;
    const name = Buffer.from(spec.name, 'utf8');
    const size = spec.declaredSize ?? spec.data.length;
    const crc = crc32(spec.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(spec.flags ?? 0x0800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    offsets.push(offset);
    locals.push(local, name, compressed);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(spec.flags ?? 0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name);
    offset += 30 + name.length + compressed.length;
  }
  if (options.overlapLast && specs.length > 1) {
    const last = centrals[centrals.length - 2]!;
    last.writeUInt32LE(0, 42);
  }
  const body = Buffer.concat([...locals, ...(options.hiddenBytes ? [options.hiddenBytes] : [])]);
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(specs.length, 8);
  end.writeUInt16LE(specs.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(body.length, 16);
  return Buffer.concat([body, directory, end]);
}
