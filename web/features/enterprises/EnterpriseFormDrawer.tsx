import { useEffect, useMemo, useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, AutoComplete, Button, Col, Drawer, Flex, Form, Grid, Input, Radio, Row, Select } from 'antd';
import { useNavigate } from 'react-router';
import {
  createEnterprise,
  ENTERPRISES_KEY,
  updateEnterprise,
  useEnterpriseGroups,
  useEnterpriseTags,
  type EnterpriseDetail,
} from '#web/features/enterprises/api.ts';
import { checkUsccField, describeIndustry, toEnterpriseBody, toFormValues, type EnterpriseFormValues } from '#web/features/enterprises/enterpriseForm.ts';
import { useChainOptions, useTownOptions } from '#web/features/enterprises/options.ts';
import { ApiError } from '#web/lib/http.ts';

const PERIOD_HINT = '如 2022-02（年度入库填当年1-2月）或 2022-06（月度入库）';

/**
 * 登记企业 / 编辑企业档案. The same checks as the server run while typing (USCC length and
 * characters, industry code); a failing check digit is shown as a warning and saved with the
 * record; the server's field messages land beside their fields.
 */
export function EnterpriseFormDrawer({ open, enterprise, onClose }: { open: boolean; enterprise: EnterpriseDetail | null; onClose: () => void }) {
  const editing = enterprise !== null;
  const [form] = Form.useForm<EnterpriseFormValues>();
  const { message, modal } = App.useApp();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const screens = Grid.useBreakpoint();
  const towns = useTownOptions();
  const chains = useChainOptions();
  const groups = useEnterpriseGroups();
  const tags = useEnterpriseTags();
  const uscc = Form.useWatch('uscc', form);
  const industryCode = Form.useWatch('industryCode', form);
  const aboveScale = Form.useWatch('aboveScale', form);
  const [serverError, setServerError] = useState<string | null>(null);
  const usccWarning = useMemo(() => (uscc ? checkUsccField(uscc).warning : null), [uscc]);
  const industry = useMemo(() => describeIndustry(industryCode), [industryCode]);

  useEffect(() => {
    if (!open) return;
    setServerError(null);
    form.resetFields();
    if (enterprise) form.setFieldsValue(toFormValues(enterprise));
  }, [open, enterprise, form]);

  const save = useMutation({
    mutationFn: (values: EnterpriseFormValues) => {
      const body = toEnterpriseBody(values);
      return enterprise ? updateEnterprise(enterprise.id, body) : createEnterprise(body);
    },
    onSuccess: async (saved) => {
      await queryClient.invalidateQueries({ queryKey: ENTERPRISES_KEY });
      onClose();
      if (saved.warnings.length) {
        modal.warning({ title: '已保存，但有需要核对的地方', content: saved.warnings.map((w) => w.message).join('；'), okText: '知道了' });
      } else message.success(editing ? '企业档案已保存' : `已登记 ${saved.name}`);
      if (!editing) void navigate(`/enterprises/${encodeURIComponent(saved.id)}`);
    },
    onError: (error) => {
      if (error instanceof ApiError && error.fieldProblems.length) {
        form.setFields(error.fieldProblems.map((p) => ({ name: p.field as keyof EnterpriseFormValues, errors: [p.message] })));
      }
      setServerError(error instanceof ApiError ? error.message : '保存失败，请稍后重试');
    },
  });

  const wasAbove = enterprise?.aboveScale ?? false;

  return (
    <Drawer
      title={editing ? `编辑企业档案 · ${enterprise.name}` : '登记企业'}
      open={open}
      onClose={onClose}
      size={screens.md === false ? '100%' : 640}
      destroyOnHidden
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onClose}>取消</Button>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()}>
            {editing ? '保存' : '登记'}
          </Button>
        </Flex>
      }
    >
      {serverError ? <Alert type="error" showIcon title={serverError} style={{ marginBottom: 16 }} /> : null}
      <Form<EnterpriseFormValues>
        form={form}
        name="enterprise"
        layout="vertical"
        onFinish={(values) => save.mutate(values)}
        initialValues={{ chainIds: [], tags: [], aboveScale: false }}
      >
        <Form.Item
          label="统一社会信用代码"
          name="uscc"
          required
          validateStatus={usccWarning ? 'warning' : undefined}
          help={usccWarning ?? undefined}
          rules={[
            {
              validator: async (_rule, value: string | undefined) => {
                const check = checkUsccField(value);
                if (check.error) throw new Error(check.error);
              },
            },
          ]}
        >
          <Input maxLength={24} placeholder="18位，见营业执照" style={{ fontFamily: 'monospace' }} autoComplete="off" />
        </Form.Item>
        <Form.Item label="企业名称" name="name" rules={[{ required: true, whitespace: true, message: '请填写企业名称' }, { max: 100, message: '企业名称最多 100 个字' }]}>
          <Input maxLength={100} placeholder="营业执照上的全称" />
        </Form.Item>
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item label="所属镇街" name="townId" rules={[{ required: true, message: '请选择所属镇街' }]}>
              <Select options={towns.options} loading={towns.loading} placeholder="选择镇街" aria-label="所属镇街" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              label="国民经济行业代码"
              name="industryCode"
              required
              validateStatus={industry.warning ? 'warning' : undefined}
              help={industry.warning ?? industry.text ?? 'GB/T 4754-2017 四位小类，如 3630'}
              rules={[
                {
                  validator: async (_rule, value: string | undefined) => {
                    if (!value || value.trim() === '') throw new Error('请填写国民经济行业代码');
                    const check = describeIndustry(value);
                    if (check.error) throw new Error(check.error);
                  },
                },
              ]}
            >
              <Input maxLength={4} inputMode="numeric" placeholder="如 3630" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item label="产业链" name="chainIds" extra="可多选；一家企业可同时属于多条产业链">
          <Select mode="multiple" options={chains.options} loading={chains.loading} placeholder="不属于任何产业链可不选" aria-label="产业链" />
        </Form.Item>
        <Row gutter={16}>
          <Col xs={24} md={8}>
            <Form.Item label="是否规上" name="aboveScale">
              <Radio.Group
                optionType="button"
                options={[
                  { value: true, label: '规上' },
                  { value: false, label: '规下' },
                ]}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={16}>
            {aboveScale ? (
              <Form.Item
                label="规上起始年月"
                name="scaleSince"
                extra={PERIOD_HINT}
                rules={[{ required: !wasAbove, whitespace: true, message: '规上企业请填写规上起始年月' }]}
              >
                <Input maxLength={12} placeholder="2022-02" />
              </Form.Item>
            ) : wasAbove ? (
              <Form.Item label="退库年月" name="scaleExit" extra="不再计入规上的第一个月份；不填按本月">
                <Input maxLength={12} placeholder="如 2023-02" />
              </Form.Item>
            ) : null}
          </Col>
        </Row>
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item label="成立日期" name="registrationDate" rules={[{ pattern: /^$|^\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?$/, message: '请填写如 2015-06-30 的日期' }]}>
              <Input maxLength={12} placeholder="2015-06-30" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item label="所属集团" name="groupName">
              <AutoComplete
                options={(groups.data ?? []).map((g) => ({ value: g.name }))}
                placeholder="如 程力集团；新名称会自动建立"
                allowClear
                showSearch={{ filterOption: (input, option) => String(option?.value ?? '').includes(input) }}
              />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item label="地址" name="address" rules={[{ max: 200, message: '地址最多 200 个字' }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item label="联系人" name="contactName" rules={[{ max: 50, message: '联系人最多 50 个字' }]}>
              <Input maxLength={50} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item label="联系电话" name="contactPhone" rules={[{ pattern: /^[0-9+\-() 转]{0,30}$/, message: '请填写正确的电话号码' }]}>
              <Input maxLength={30} inputMode="tel" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item label="标签" name="tags" extra="输入后回车即可添加新标签">
          <Select mode="tags" options={(tags.data ?? []).map((t) => ({ value: t.tag, label: t.tag }))} tokenSeparators={['、', ',', '，']} aria-label="标签" />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
