// Reading an uploaded Word notice as text for the parser. mammoth's raw-text extraction keeps
// one paragraph per line (separated by blank lines), which the parser reads as Word layout.
// mammoth is imported at the first upload, not at start-up: the server at rest should not carry it.

/** An uploaded file that is not a readable .docx; `message` says what to do, in Chinese. */
export class PlanFileError extends Error {
  readonly code = 'BAD_FILE' as const;

  constructor(message: string) {
    super(message);
    this.name = 'PlanFileError';
  }
}

// A .docx is a zip archive (local file header `PK\x03\x04`) holding word/document.xml; the old
// binary .doc is an OLE compound file (`D0 CF 11 E0`), which mammoth cannot read.
const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0]);
// Entry names are stored uncompressed in the zip headers, so a byte search finds them.
const DOCUMENT_ENTRY = Buffer.from('word/document.xml', 'utf8');

/**
 * The text of a Word (.docx) notice, paragraphs on their own lines. Throws PlanFileError
 * (code BAD_FILE) for an old .doc, a file that is not a .docx, or a damaged one.
 */
export async function extractDocxText(buffer: Buffer): Promise<string> {
  if (buffer.subarray(0, 4).equals(OLE_MAGIC)) {
    throw new PlanFileError('这是旧版 Word（.doc）文件，无法读取：请在 Word 中“另存为” .docx 格式后重新上传');
  }
  if (!buffer.subarray(0, 4).equals(ZIP_MAGIC) || !buffer.includes(DOCUMENT_ENTRY)) {
    throw new PlanFileError('文件不是 Word（.docx）文档：请上传 .docx 文件，或把通知全文另存为 .txt 后上传');
  }
  const { default: mammoth } = await import('mammoth');
  try {
    const result = await mammoth.extractRawText({ buffer });
    return result.value;
  } catch {
    throw new PlanFileError('Word 文档已损坏，无法读取：请在 Word 中打开并重新保存为 .docx 后再上传');
  }
}
