import { createInflateRaw, inflateRawSync } from 'node:zlib';
import type { FastifyRequest } from 'fastify';
import { AppError } from '#server/platform/errors.ts';

/**
 * Uploads: one file per request, read into memory (≤ 20 MB), and — for workbooks — the zip
 * container inspected before anything is inflated, so a zip bomb costs nothing. Shared by every
 * import (enterprise roster, monthly reports, …) and by the CLI, which reads files from disk.
 */

/** The largest file accepted (the multipart limit in app.ts uses it too). */
export const UPLOAD_LIMIT_BYTES = 20 * 1024 * 1024;

export type ZipLimits = {
  /** Sum of the entries' uncompressed sizes. */
  maxUncompressedBytes: number;
  maxEntries: number;
  /** Largest uncompressed ÷ compressed size of one entry, checked for entries above ratioFloorBytes. */
  maxRatio: number;
  ratioFloorBytes: number;
};

// A workbook of 20,000 rows × 30 columns inflates to ~60 MB; real sheets compress 5–60×, a
// sheet of a million identical styled empty rows ~150×. Deflate cannot exceed ~1030×.
export const XLSX_ZIP_LIMITS: ZipLimits = {
  maxUncompressedBytes: 200 * 1024 * 1024,
  maxEntries: 2000,
  maxRatio: 400,
  ratioFloorBytes: 1024 * 1024,
};

export type UploadedFile = { fileName: string; buffer: Buffer };

/** A file name fit for messages and audit: no directories, no control characters, bounded. */
export function safeFileName(name: string | undefined | null, fallback = '上传文件.xlsx'): string {
  const base = (name ?? '').split(/[/\\]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex -- matching control characters is the point of this check
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').replace(/[\uD800-\uDFFF]/g, '').trim().slice(0, 120);
  return clean === '' || clean === '.' || clean === '..' ? fallback : clean;
}

/**
 * The one file of a multipart request (field name free). Over the size limit answers 413
 * (the multipart plugin's FST_REQ_FILE_TOO_LARGE, mapped in http.ts); no file answers 400.
 */
export async function readUploadedFile(request: FastifyRequest): Promise<UploadedFile> {
  if (!request.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', '请以 multipart/form-data 方式上传文件');
  try {
    const part = await request.file();
    if (!part) throw new AppError('BAD_FILE', '没有收到文件，请选择要上传的 Excel 文件');
    const buffer = await part.toBuffer();
    return { fileName: safeFileName(part.filename), buffer };
  } catch (error) {
    // A body cut off mid-part makes the multipart parser throw a plain Error ("Unexpected end of
    // form"): the client's fault, not ours. Errors with a code or status (size limits) pass on.
    if (error instanceof AppError || (error as { statusCode?: unknown }).statusCode !== undefined || (error as { code?: unknown }).code !== undefined) throw error;
    throw new AppError('BAD_FILE', '上传内容不完整或格式不正确，请重新选择文件上传');
  }
}

// ---- The zip container -----------------------------------------------------------------------

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const SIG_ZIP64_EOCD = 0x06064b50;
const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

export type ZipEntry = {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
  /** Where the compressed bytes start (after the local header). */
  dataOffset: number;
};

const badFile = (message: string, details?: unknown) => new AppError('BAD_FILE', message, details);
const RESAVE = '请用 Excel 或 WPS 打开后另存为 .xlsx 再上传';
const BOMB = '文件解压后异常庞大，疑似“压缩炸弹”，已拒绝';

/**
 * Refuses anything that is not a plain xlsx zip, by content (the file name is not trusted):
 * an old .xls or a password-protected workbook (both OLE compound files), a non-zip, a truncated
 * or multi-part zip, encrypted or unusual entries, and — from the central directory alone,
 * before inflating a byte — more than `maxEntries` entries, more than `maxUncompressedBytes` in
 * total, or an absurd compression ratio. Every byte before the central directory must belong
 * to a listed entry, so nothing hidden can be inflated by a reader that walks local headers.
 */
export function inspectZipDirectory(buffer: Buffer, limits: ZipLimits = XLSX_ZIP_LIMITS): ZipEntry[] {
  if (buffer.length === 0) throw badFile('上传的文件是空的（0 字节），请重新选择文件');
  if (buffer.length >= 8 && buffer.subarray(0, 8).equals(OLE_MAGIC)) {
    throw badFile('这是旧版 Excel（.xls）文件或设置了打开密码的工作簿，无法读取：请另存为 .xlsx 格式后上传（如有密码请先取消）');
  }
  if (buffer.length < 22 || buffer.readUInt32LE(0) !== SIG_LOCAL) {
    throw badFile('文件不是 Excel 工作簿（.xlsx），请上传用 Excel 或 WPS 保存的 .xlsx 文件');
  }
  const eocd = findEndOfCentralDirectory(buffer);
  if (eocd < 0) throw badFile(`文件不完整或已损坏（找不到压缩目录），可能上传中断，${RESAVE}`);
  if (buffer.readUInt16LE(eocd + 4) !== 0 || buffer.readUInt16LE(eocd + 6) !== 0) throw badFile(`不支持分卷压缩的文件，${RESAVE}`);
  let entryCount = buffer.readUInt16LE(eocd + 10);
  let directorySize = buffer.readUInt32LE(eocd + 12);
  let directoryOffset = buffer.readUInt32LE(eocd + 16);
  if (entryCount === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) {
    const locator = eocd - 20;
    if (locator < 0 || buffer.readUInt32LE(locator) !== SIG_ZIP64_LOCATOR) throw badFile(`文件已损坏（压缩目录不完整），${RESAVE}`);
    const zip64 = safeNumber(buffer.readBigUInt64LE(locator + 8));
    if (zip64 + 56 > buffer.length || buffer.readUInt32LE(zip64) !== SIG_ZIP64_EOCD) throw badFile(`文件已损坏（压缩目录不完整），${RESAVE}`);
    entryCount = safeNumber(buffer.readBigUInt64LE(zip64 + 32));
    directorySize = safeNumber(buffer.readBigUInt64LE(zip64 + 40));
    directoryOffset = safeNumber(buffer.readBigUInt64LE(zip64 + 48));
  }
  if (entryCount > limits.maxEntries) throw badFile(`${BOMB}（包含 ${entryCount} 个压缩项，上限 ${limits.maxEntries}）`);
  if (entryCount === 0) throw badFile('文件是空的压缩包，不是 Excel 工作簿');
  if (directoryOffset + directorySize > eocd) throw badFile(`文件已损坏（压缩目录越界），${RESAVE}`);

  const entries: ZipEntry[] = [];
  let total = 0;
  let at = directoryOffset;
  for (let i = 0; i < entryCount; i++) {
    if (at + 46 > directoryOffset + directorySize || buffer.readUInt32LE(at) !== SIG_CENTRAL) throw badFile(`文件已损坏（压缩目录不完整），${RESAVE}`);
    const flags = buffer.readUInt16LE(at + 8);
    const method = buffer.readUInt16LE(at + 10);
    let compressedSize = buffer.readUInt32LE(at + 20);
    let uncompressedSize = buffer.readUInt32LE(at + 24);
    const nameLength = buffer.readUInt16LE(at + 28);
    const extraLength = buffer.readUInt16LE(at + 30);
    const commentLength = buffer.readUInt16LE(at + 32);
    let localHeaderOffset = buffer.readUInt32LE(at + 42);
    const end = at + 46 + nameLength + extraLength + commentLength;
    if (end > directoryOffset + directorySize) throw badFile(`文件已损坏（压缩目录不完整），${RESAVE}`);
    const name = buffer.toString('utf8', at + 46, at + 46 + nameLength);
    if (uncompressedSize === 0xffffffff || compressedSize === 0xffffffff || localHeaderOffset === 0xffffffff) {
      // ZIP64 extra field: the 64-bit values, in this order, for the fields that overflowed.
      const sizes = readZip64Extra(buffer.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength));
      let k = 0;
      if (uncompressedSize === 0xffffffff) uncompressedSize = sizes[k++] ?? Number.MAX_SAFE_INTEGER;
      if (compressedSize === 0xffffffff) compressedSize = sizes[k++] ?? Number.MAX_SAFE_INTEGER;
      if (localHeaderOffset === 0xffffffff) localHeaderOffset = sizes[k++] ?? Number.MAX_SAFE_INTEGER;
    }
    at = end;

    if (flags & 0x0001) throw badFile('工作簿已加密（设置了密码），请取消密码后另存为 .xlsx 再上传');
    if (method !== 0 && method !== 8) throw badFile(`文件使用了不支持的压缩方式，${RESAVE}`);
    if (uncompressedSize > limits.maxUncompressedBytes) {
      throw badFile(`${BOMB}（「${name}」解压后 ${megabytes(uncompressedSize)}，上限 ${megabytes(limits.maxUncompressedBytes)}）`);
    }
    total += uncompressedSize;
    if (total > limits.maxUncompressedBytes) throw badFile(`${BOMB}（解压后超过 ${megabytes(limits.maxUncompressedBytes)}）`);
    if (uncompressedSize > limits.ratioFloorBytes && uncompressedSize / Math.max(compressedSize, 1) > limits.maxRatio) {
      throw badFile(`${BOMB}（「${name}」压缩比 ${Math.round(uncompressedSize / Math.max(compressedSize, 1))}:1）`);
    }
    if (method === 0 && compressedSize !== uncompressedSize) throw badFile(`文件已损坏（压缩项大小不一致），${RESAVE}`);

    if (localHeaderOffset + 30 > directoryOffset || buffer.readUInt32LE(localHeaderOffset) !== SIG_LOCAL) {
      throw badFile(`文件已损坏（压缩项位置不对），${RESAVE}`);
    }
    const dataOffset = localHeaderOffset + 30 + buffer.readUInt16LE(localHeaderOffset + 26) + buffer.readUInt16LE(localHeaderOffset + 28);
    if (buffer.readUInt16LE(localHeaderOffset + 26) !== nameLength || dataOffset + compressedSize > directoryOffset) {
      throw badFile(`文件已损坏（压缩项与目录不一致），${RESAVE}`);
    }
    entries.push({ name, method, flags, compressedSize, uncompressedSize, localHeaderOffset, dataOffset });
  }

  // Entries must tile the area before the directory: no overlap (the classic overlapping-entry
  // bomb) and nothing unlisted in between (a streaming reader would inflate it unchecked).
  const ordered = [...entries].sort((a, b) => a.localHeaderOffset - b.localHeaderOffset);
  let expected = 0;
  for (const entry of ordered) {
    const gap = entry.localHeaderOffset - expected;
    if (gap < 0) throw badFile(`${BOMB}（压缩项相互重叠）`);
    if (gap > 0 && !(expected > 0 && gap <= 24 && hasDataDescriptorBefore(ordered, entry))) {
      throw badFile(`文件结构异常（压缩包内有未登记的数据），${RESAVE}`);
    }
    expected = entry.dataOffset + entry.compressedSize;
  }
  const tail = directoryOffset - expected;
  if (tail < 0 || tail > 24) throw badFile(`文件结构异常（压缩包内有未登记的数据），${RESAVE}`);
  return entries;
}

/** Data descriptors (flag bit 3) follow an entry's data: 12–24 bytes are expected there. */
function hasDataDescriptorBefore(ordered: ZipEntry[], entry: ZipEntry): boolean {
  const index = ordered.indexOf(entry);
  const previous = ordered[index - 1];
  return !!previous && (previous.flags & 0x0008) !== 0;
}

function findEndOfCentralDirectory(buffer: Buffer): number {
  const stop = Math.max(0, buffer.length - 22 - 0xffff);
  for (let i = buffer.length - 22; i >= stop; i--) {
    if (buffer.readUInt32LE(i) === SIG_EOCD && i + 22 + buffer.readUInt16LE(i + 20) === buffer.length) return i;
  }
  return -1;
}

function readZip64Extra(extra: Buffer): number[] {
  for (let at = 0; at + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(at);
    const size = extra.readUInt16LE(at + 2);
    if (id === 0x0001) {
      const values: number[] = [];
      for (let k = at + 4; k + 8 <= at + 4 + size && k + 8 <= extra.length; k += 8) values.push(safeNumber(extra.readBigUInt64LE(k)));
      return values;
    }
    at += 4 + size;
  }
  return [];
}

function safeNumber(value: bigint): number {
  return value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(value);
}

function megabytes(bytes: number): string {
  return `${Math.round(bytes / 1024 / 1024)} MB`;
}

/**
 * Inflates every entry once, discarding the output, and stops an entry the moment it exceeds the
 * size its directory record declared: a zip whose headers lie about sizes is refused after at
 * most the declared (already bounded) number of bytes, never inflated to the end.
 */
export async function verifyZipEntries(buffer: Buffer, entries: readonly ZipEntry[]): Promise<void> {
  for (const entry of entries) {
    if (entry.method === 0) continue;
    const produced = await inflateCounting(buffer.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize), entry.uncompressedSize);
    if (produced === null) throw entryRefusal(entry, 'larger');
    if (produced === 'corrupt') throw entryRefusal(entry, 'corrupt');
    if (produced !== entry.uncompressedSize) throw entryRefusal(entry, 'smaller');
  }
}

/**
 * One entry inflated into memory under the same check as verifyZipEntries: inflation stops the
 * moment the output exceeds the declared size, and an entry that comes out shorter or does not
 * inflate is refused. For a reader that needs the bytes anyway, this is the check and the read
 * in one pass (a 20,000-row sheet is not inflated twice).
 */
export function inflateZipEntry(buffer: Buffer, entry: ZipEntry): Buffer {
  const compressed = buffer.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize);
  if (entry.method === 0) return compressed; // stored: inspectZipDirectory checked both sizes agree
  let output: Buffer;
  try {
    // One output chunk a byte larger than declared: an honest entry inflates into it without
    // copying, a lying one overflows it and is stopped at the next chunk.
    output = inflateRawSync(compressed, { maxOutputLength: Math.max(entry.uncompressedSize, 1), chunkSize: Math.max(entry.uncompressedSize + 1, 64) });
  } catch (error) {
    throw entryRefusal(entry, (error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE' ? 'larger' : 'corrupt');
  }
  if (output.length > entry.uncompressedSize) throw entryRefusal(entry, 'larger');
  if (output.length < entry.uncompressedSize) throw entryRefusal(entry, 'smaller');
  return output;
}

/** How an entry that does not inflate to its declared size is refused. */
function entryRefusal(entry: ZipEntry, problem: 'larger' | 'smaller' | 'corrupt'): AppError {
  if (problem === 'larger') return badFile(`${BOMB}（「${entry.name}」解压后的实际大小超过其声明）`);
  if (problem === 'corrupt') return badFile(`文件已损坏（「${entry.name}」无法解压），${RESAVE}`);
  return badFile(`文件已损坏（「${entry.name}」大小与目录不符），${RESAVE}`);
}

function inflateCounting(compressed: Buffer, limit: number): Promise<number | null | 'corrupt'> {
  return new Promise((resolve) => {
    const inflater = createInflateRaw();
    let produced = 0;
    let settled = false;
    const settle = (value: number | null | 'corrupt') => {
      if (settled) return;
      settled = true;
      resolve(value);
    };
    inflater.on('data', (chunk: Buffer) => {
      produced += chunk.length;
      if (produced > limit) {
        settle(null);
        inflater.destroy();
      }
    });
    inflater.on('error', () => settle('corrupt'));
    inflater.on('end', () => settle(produced));
    inflater.end(compressed);
  });
}

/**
 * The checks of assertSafeXlsx that need no inflating: the upload's size, the zip directory
 * (inspectZipDirectory) and that the zip is a workbook (has xl/workbook.xml). Returns the entries,
 * none of them verified yet.
 */
export function inspectXlsx(buffer: Buffer, limits: ZipLimits = XLSX_ZIP_LIMITS): ZipEntry[] {
  if (buffer.length > UPLOAD_LIMIT_BYTES) throw new AppError('PAYLOAD_TOO_LARGE', `文件过大（${megabytes(buffer.length)}），上限 20 MB`);
  const entries = inspectZipDirectory(buffer, limits);
  if (!entries.some((e) => e.name === 'xl/workbook.xml')) {
    const isWord = entries.some((e) => e.name.startsWith('word/'));
    throw badFile(isWord ? '这是 Word 文档，不是 Excel 工作簿，请上传 .xlsx 文件' : '文件是压缩包但不是 Excel 工作簿（.xlsx），请上传用 Excel 或 WPS 保存的 .xlsx 文件');
  }
  return entries;
}

/**
 * Everything a workbook upload must pass before a reader touches it (see inspectXlsx and
 * verifyZipEntries). A reader that inflates some entries itself may instead check those with
 * inflateZipEntry and verify only the others.
 */
export async function assertSafeXlsx(buffer: Buffer, limits: ZipLimits = XLSX_ZIP_LIMITS): Promise<void> {
  await verifyZipEntries(buffer, inspectXlsx(buffer, limits));
}
