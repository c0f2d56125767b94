import type { DepartmentSeed } from './catalogue-seed.types.ts';

/**
 * Every 服务单位 of §四 of the Puyang plan (濮政办〔2018〕65号), each once, in order of first appearance.
 * The leading 市 that the plan puts before each zone's list (市工商局, 市公安局 …) qualifies the whole
 * list and is dropped; names that carry 市 inside a list (市政府投资办, 市热力公司 …) keep it.
 */
export const departments: DepartmentSeed[] = [
  // 投资项目 (zone 1)
  {
    code: 'development_reform',
    name: '发展改革委',
    nameEn: 'Development and Reform Commission',
    kind: 'government',
  },
  { code: 'land_resources', name: '国土资源局', nameEn: 'Land and Resources Bureau', kind: 'government' },
  {
    code: 'housing_construction',
    name: '住房城乡建设局',
    nameEn: 'Housing and Urban-Rural Development Bureau',
    kind: 'government',
  },
  {
    code: 'urban_rural_planning',
    name: '城乡规划局',
    nameEn: 'Urban and Rural Planning Bureau',
    kind: 'government',
  },
  { code: 'civil_air_defence', name: '人防办', nameEn: 'Civil Air Defence Office', kind: 'government' },
  {
    code: 'environmental_protection',
    name: '环保局',
    nameEn: 'Environmental Protection Bureau',
    kind: 'government',
  },
  { code: 'meteorology', name: '气象局', nameEn: 'Meteorological Bureau', kind: 'government' },
  { code: 'work_safety', name: '安全监管局', nameEn: 'Work Safety Supervision Bureau', kind: 'government' },
  {
    code: 'government_investment_office',
    name: '市政府投资办',
    nameEn: 'Municipal Government Investment Office',
    kind: 'government',
  },
  {
    code: 'government_finance_office',
    name: '市政府金融办',
    nameEn: 'Municipal Government Financial Affairs Office',
    kind: 'government',
  },
  {
    code: 'urban_management_enforcement',
    name: '市城管综合执法局',
    nameEn: 'Municipal Urban Management Law Enforcement Bureau',
    kind: 'government',
  },
  { code: 'fire_brigade', name: '消防支队', nameEn: 'Fire Brigade', kind: 'government' },
  { code: 'city_management', name: '城市管理局', nameEn: 'City Management Bureau', kind: 'government' },
  { code: 'forestry', name: '林业局', nameEn: 'Forestry Bureau', kind: 'government' },
  { code: 'water_resources', name: '水利局', nameEn: 'Water Resources Bureau', kind: 'government' },
  {
    code: 'culture_press_publication',
    name: '文广新局',
    nameEn: 'Culture, Radio, Television, Press and Publication Bureau',
    kind: 'government',
  },
  {
    code: 'health_family_planning',
    name: '卫生计生委',
    nameEn: 'Health and Family Planning Commission',
    kind: 'government',
  },
  {
    code: 'ethnic_religious_affairs',
    name: '民宗委',
    nameEn: 'Ethnic and Religious Affairs Commission',
    kind: 'government',
  },
  { code: 'state_security', name: '国家安全局', nameEn: 'State Security Bureau', kind: 'government' },
  // Merged: the plan writes 交通运输局 in zone 1 and the short form 交通局 in zone 6 — one bureau.
  { code: 'transport', name: '交通运输局', nameEn: 'Transport Bureau', kind: 'government' },
  { code: 'commerce', name: '商务局', nameEn: 'Commerce Bureau', kind: 'government' },
  // 工商局 keeps the stable code market_regulation: its duties passed to 市场监督管理局 in the 2018–2019 reform.
  {
    code: 'market_regulation',
    name: '工商局',
    nameEn: 'Administration for Industry and Commerce',
    kind: 'government',
  },
  // Merged: 外事侨务旅游局 (zone 1) and 外侨旅游局 (zone 4) are the full and short names of one bureau.
  {
    code: 'foreign_affairs_tourism',
    name: '外事侨务旅游局',
    nameEn: 'Foreign Affairs, Overseas Chinese Affairs and Tourism Bureau',
    kind: 'government',
  },
  {
    code: 'industry_information_technology',
    name: '工业和信息化委',
    nameEn: 'Industry and Information Technology Commission',
    kind: 'government',
  },
  { code: 'archives', name: '档案局', nameEn: 'Archives Bureau', kind: 'government' },
  { code: 'power_supply', name: '濮阳供电公司', nameEn: 'Puyang Power Supply Company', kind: 'enterprise' },

  // 企业开办 (zone 2)
  {
    code: 'quality_supervision',
    name: '质监局',
    nameEn: 'Quality and Technical Supervision Bureau',
    kind: 'government',
  },
  {
    code: 'food_drug_administration',
    name: '食品药品监督管理局',
    nameEn: 'Food and Drug Administration',
    kind: 'government',
  },
  { code: 'public_security', name: '公安局', nameEn: 'Public Security Bureau', kind: 'government' },
  { code: 'tax', name: '税务局', nameEn: 'Tax Bureau', kind: 'government' },
  {
    code: 'human_resources_social_security',
    name: '人力资源社会保障局',
    nameEn: 'Human Resources and Social Security Bureau',
    kind: 'government',
  },
  { code: 'tobacco', name: '烟草局', nameEn: 'Tobacco Monopoly Bureau', kind: 'government' },
  {
    code: 'postal_administration',
    name: '邮政管理局',
    nameEn: 'Postal Administration',
    kind: 'government',
  },

  // 不动产交易登记 (zone 3)
  {
    code: 'real_estate_management_centre',
    name: '房地产管理中心',
    nameEn: 'Real Estate Management Centre',
    kind: 'government',
  },
  {
    code: 'housing_provident_fund',
    name: '公积金管理中心',
    nameEn: 'Housing Provident Fund Management Centre',
    kind: 'government',
  },
  { code: 'water_supply', name: '自来水公司', nameEn: 'Water Supply Company', kind: 'enterprise' },
  { code: 'heating', name: '市热力公司', nameEn: 'Municipal Heating Company', kind: 'enterprise' },
  {
    code: 'gas_china_resources',
    name: '濮阳华润燃气有限公司',
    nameEn: 'Puyang China Resources Gas Co., Ltd.',
    kind: 'enterprise',
  },
  {
    code: 'gas_tianlun',
    name: '濮阳市天伦燃气有限公司',
    nameEn: 'Puyang Tianlun Gas Co., Ltd.',
    kind: 'enterprise',
  },
  {
    code: 'gas_china_gas',
    name: '中国燃气濮阳分公司',
    nameEn: 'China Gas Puyang Branch',
    kind: 'enterprise',
  },
  {
    code: 'gas_hualong',
    name: '濮阳市华龙区华隆天然气有限公司',
    nameEn: 'Puyang Hualong District Hualong Natural Gas Co., Ltd.',
    kind: 'enterprise',
  },
  {
    code: 'water_huayuan',
    name: '濮阳华源水务有限公司',
    nameEn: 'Puyang Huayuan Water Co., Ltd.',
    kind: 'enterprise',
  },
  {
    code: 'cable_tv',
    name: '市有线电视台',
    nameEn: 'Municipal Cable Television Station',
    kind: 'enterprise',
  },
  { code: 'china_mobile', name: '移动公司', nameEn: 'China Mobile (Puyang)', kind: 'enterprise' },
  { code: 'china_unicom', name: '联通公司', nameEn: 'China Unicom (Puyang)', kind: 'enterprise' },
  { code: 'china_telecom', name: '电信公司', nameEn: 'China Telecom (Puyang)', kind: 'enterprise' },

  // 科教文卫 (zone 4)
  { code: 'science_technology', name: '科技局', nameEn: 'Science and Technology Bureau', kind: 'government' },
  { code: 'education', name: '教育局', nameEn: 'Education Bureau', kind: 'government' },
  { code: 'sports', name: '体育局', nameEn: 'Sports Bureau', kind: 'government' },
  {
    code: 'agriculture_animal_husbandry',
    name: '农业畜牧局',
    nameEn: 'Agriculture and Animal Husbandry Bureau',
    kind: 'government',
  },
  { code: 'grain', name: '粮食局', nameEn: 'Grain Bureau', kind: 'government' },
  {
    code: 'agricultural_machinery',
    name: '农机局',
    nameEn: 'Agricultural Machinery Bureau',
    kind: 'government',
  },

  // 公安司法 (zone 5)
  { code: 'justice', name: '司法局', nameEn: 'Justice Bureau', kind: 'government' },

  // 社保民生 (zone 6)
  { code: 'civil_affairs', name: '民政局', nameEn: 'Civil Affairs Bureau', kind: 'government' },
  { code: 'highway', name: '公路局', nameEn: 'Highway Administration Bureau', kind: 'government' },
  {
    code: 'radio_administration',
    name: '无线电管理局',
    nameEn: 'Radio Administration Bureau',
    kind: 'government',
  },
  {
    code: 'disabled_persons_federation',
    name: '残联',
    nameEn: "Disabled Persons' Federation",
    kind: 'government',
  },
];
