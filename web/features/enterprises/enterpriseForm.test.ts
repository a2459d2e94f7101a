import { describe, expect, it } from 'vitest';
import { checkUsccField, describeIndustry, formatScalePeriod, toEnterpriseBody } from '#web/features/enterprises/enterpriseForm.ts';

describe('enterprise form helpers', () => {
  it('says what is wrong with a USCC as the server does', () => {
    expect(checkUsccField('91421303MA48YD010M')).toEqual({ error: null, warning: null });
    expect(checkUsccField('91421303MA48YD010').error).toContain('应为18位');
    expect(checkUsccField('91350100M0001TGQXM').warning).toContain('校验位不符');
    expect(checkUsccField('').error).toContain('请填写');
  });

  it('names the industry of a code, or says what is wrong', () => {
    expect(describeIndustry('3630')).toEqual({ text: '汽车制造业 › 改装汽车制造', error: null, warning: null });
    expect(describeIndustry('36').error).toContain('大类代码');
    expect(describeIndustry('3699').warning).toContain('不在 GB/T 4754-2017');
  });

  it('writes periods the statistics way', () => {
    expect(formatScalePeriod('2022-02')).toBe('2022年1-2月');
    expect(formatScalePeriod('2022-06')).toBe('2022年6月');
    expect(formatScalePeriod(null)).toBe('—');
  });

  it('sends cleared optional fields as null and the 规上 fields that apply', () => {
    const body = toEnterpriseBody({
      uscc: ' 91421303MA48YD010M ',
      name: '甲',
      townId: 't',
      industryCode: '3630',
      chainIds: [],
      aboveScale: false,
      scaleSince: '2022-06',
      scaleExit: '2023-02',
      address: '  ',
      tags: ['a', ' '],
    });
    expect(body).toMatchObject({ uscc: '91421303MA48YD010M', scaleSince: null, scaleExit: '2023-02', address: null, tags: ['a'] });
  });
});
