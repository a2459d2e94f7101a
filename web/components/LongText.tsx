import { Tooltip, Typography } from 'antd';

/**
 * A long value (a browser's user agent, a remark) in a table cell: one line cut with an ellipsis,
 * the whole text on hover, a dash when there is none.
 */
export function LongText({ text, maxWidth = 240 }: { text: string | null | undefined; maxWidth?: number }) {
  if (!text) return <>—</>;
  return (
    <Tooltip title={text}>
      <Typography.Text ellipsis style={{ maxWidth }}>
        {text}
      </Typography.Text>
    </Tooltip>
  );
}
