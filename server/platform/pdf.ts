import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { AppError } from '#server/platform/errors.ts';

/**
 * Word → PDF through LibreOffice headless (`soffice --headless --convert-to pdf`), the one way
 * the platform makes PDFs. Each conversion gets its own temporary profile, so conversions may
 * run side by side and never touch a user's LibreOffice settings. Installed CJK fonts stand in
 * for the 公文 fonts a .docx names (方正小标宋简体, 仿宋_GB2312 …) when they are absent.
 */

const TIMEOUT_MS = 120_000;

/** The LibreOffice executable on PATH, or null. */
export function findSoffice(): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    for (const name of ['soffice', 'libreoffice']) {
      const candidate = path.join(dir, name);
      try {
        fs.accessSync(candidate, fs.constants.X_OK);
        return candidate;
      } catch {
        // not here
      }
    }
  }
  return null;
}

/** Converts a .docx to PDF; UNAVAILABLE (503) when LibreOffice is not installed here. */
export async function convertDocxToPdf(docx: Buffer): Promise<Buffer> {
  const soffice = findSoffice();
  if (!soffice) throw new AppError('UNAVAILABLE', '服务器未安装 LibreOffice，暂不能转换为 PDF：请下载 Word 版本，或请管理员安装 LibreOffice');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kejing-pdf-'));
  try {
    const input = path.join(dir, 'document.docx');
    fs.writeFileSync(input, docx);
    const profile = pathToFileURL(path.join(dir, 'profile')).href;
    await new Promise<void>((resolve, reject) => {
      execFile(
        soffice,
        [`-env:UserInstallation=${profile}`, '--headless', '--norestore', '--convert-to', 'pdf', '--outdir', dir, input],
        { timeout: TIMEOUT_MS, env: { ...process.env, HOME: dir } },
        (error, _stdout, stderr) => (error ? reject(new Error(`soffice failed: ${error.message} ${stderr}`)) : resolve()),
      );
    });
    const output = path.join(dir, 'document.pdf');
    if (!fs.existsSync(output)) throw new Error('soffice produced no PDF');
    return fs.readFileSync(output);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export const PDF_MIME = 'application/pdf';
export const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
