// The 2022 gradient-cultivation measures (优质中小企业梯度培育管理暂行办法, 工信部企业〔2022〕63号)
// and their three criteria attachments, in force from 2022-08-01 (criteria.md §4). The 2026
// 管理办法 (工信部企业〔2026〕2号, reported in force 2026-04-01) is not verified (§4.5): until a
// verified rule set is added as new data, these rules answer no_rule_set after 2026-03-31 and
// show this set 仅供参考.

export const GRADIENT_2022_FROM = '2022-08-01';
export const GRADIENT_2022_TO = '2026-03-31';

export const GRADIENT_2022_DOCUMENTS = [
  { title: '优质中小企业梯度培育管理暂行办法（含创新型中小企业评价标准、专精特新中小企业认定标准、专精特新"小巨人"企业认定标准）', number: '工信部企业〔2022〕63号', url: null },
];
