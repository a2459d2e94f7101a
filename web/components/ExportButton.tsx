import { useState } from 'react';
import { App, Button } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { ApiError } from '#web/lib/http.ts';

/**
 * Exports what the list shows (its filters, all pages) as a file. `onExport` is the feature's
 * api call, which downloads through the one http client and keeps the server's file name.
 */
export function ExportButton({ onExport, label = '导出', disabled }: { onExport: () => Promise<void>; label?: string; disabled?: boolean }) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const run = async () => {
    setBusy(true);
    try {
      await onExport();
    } catch (error) {
      message.error(error instanceof ApiError ? error.message : '导出失败，请稍后重试');
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button icon={<DownloadOutlined />} loading={busy} disabled={disabled} onClick={() => void run()}>
      {label}
    </Button>
  );
}
