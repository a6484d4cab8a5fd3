import { crc32, deflateRawSync } from 'node:zlib';

/**
 * A minimal ZIP writer (PKWARE APPNOTE 6.3: local headers, central directory, end record), enough
 * for a Teams app package. No zip64: entries and archive must stay under 4 GiB, far above a
 * manifest and two icons. Entries are deflated unless deflate would not make them smaller.
 */

export interface ZipEntry {
  /** Path inside the archive, with "/" separators and no leading slash. */
  name: string;
  data: Buffer;
}

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL_DIR = 0x06054b50;
const METHOD_STORE = 0;
const METHOD_DEFLATE = 8;
const VERSION = 20; // 2.0: deflate
const FLAG_UTF8 = 0x0800;

/** A fixed timestamp keeps packages byte-identical for identical input (reproducible builds). */
const DEFAULT_TIME = new Date(Date.UTC(2024, 0, 1, 0, 0, 0));

export function createZip(entries: ZipEntry[], modified: Date = DEFAULT_TIME): Buffer {
  const seen = new Set<string>();
  for (const e of entries) {
    if (e.name === '' || e.name.startsWith('/') || e.name.includes('\\') || e.name.split('/').includes('..')) {
      throw new Error(`Invalid zip entry name "${e.name}": use a relative path with "/" separators`);
    }
    if (seen.has(e.name)) throw new Error(`Duplicate zip entry "${e.name}"`);
    seen.add(e.name);
  }

  const { time, date } = dosDateTime(modified);
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;

  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const deflated = deflateRawSync(entry.data, { level: 9 });
    const useDeflate = deflated.length < entry.data.length;
    const body = useDeflate ? deflated : entry.data;
    const crc = crc32(entry.data);
    const fields = {
      method: useDeflate ? METHOD_DEFLATE : METHOD_STORE,
      crc,
      compressedSize: body.length,
      size: entry.data.length,
    };

    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL_HEADER, 0);
    local.writeUInt16LE(VERSION, 4);
    local.writeUInt16LE(FLAG_UTF8, 6);
    local.writeUInt16LE(fields.method, 8);
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(fields.crc, 14);
    local.writeUInt32LE(fields.compressedSize, 18);
    local.writeUInt32LE(fields.size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28); // extra field length

    const header = Buffer.alloc(46);
    header.writeUInt32LE(CENTRAL_HEADER, 0);
    header.writeUInt16LE(VERSION, 4); // made by: MS-DOS, 2.0
    header.writeUInt16LE(VERSION, 6);
    header.writeUInt16LE(FLAG_UTF8, 8);
    header.writeUInt16LE(fields.method, 10);
    header.writeUInt16LE(time, 12);
    header.writeUInt16LE(date, 14);
    header.writeUInt32LE(fields.crc, 16);
    header.writeUInt32LE(fields.compressedSize, 20);
    header.writeUInt32LE(fields.size, 24);
    header.writeUInt16LE(name.length, 28);
    // extra length, comment length, disk number, internal attrs, external attrs: all 0
    header.writeUInt32LE(offset, 42);

    parts.push(local, name, body);
    central.push(header, name);
    offset += local.length + name.length + body.length;
  }

  const centralDir = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END_OF_CENTRAL_DIR, 0);
  // disk numbers (4, 6) stay 0
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralDir.length, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(0, 20); // comment length
  if (entries.length > 0xffff || offset + centralDir.length > 0xffffffff) {
    throw new Error('Archive too large for a non-zip64 zip');
  }
  return Buffer.concat([...parts, centralDir, end]);
}

/** MS-DOS date/time (2-second resolution, years 1980-2107), from the UTC fields. */
function dosDateTime(d: Date): { time: number; date: number } {
  const year = Math.min(Math.max(d.getUTCFullYear(), 1980), 2107);
  return {
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | Math.floor(d.getUTCSeconds() / 2),
    date: ((year - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
  };
}
