/**
 * What shows while a page's code or first data loads. A CSS spinner rather than antd's Spin,
 * because the router shows it before any page (and its antd components) has loaded.
 */
export function PageLoading({ fullScreen = false }: { fullScreen?: boolean }) {
  return (
    <div className="kj-loading" style={{ minHeight: fullScreen ? '100vh' : 240 }} role="status" aria-live="polite">
      <span className="kj-spinner" aria-hidden="true" />
      <span>加载中…</span>
    </div>
  );
}
