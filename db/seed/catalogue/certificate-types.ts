import type { CertificateField } from '../../entities/certificate-type.ts';

/**
 * The electronic certificate types (电子证照类型) of the hall: one per licence or certificate that an
 * item of the catalogue results in (营业执照, 不动产权证书, 食品经营许可证 …). Results that are notices,
 * decisions, receipts or contracts (准予注销登记通知书, 备案回执, 公证书 …) are result documents, not
 * certificates, and have no type here.
 *
 * Type codes have the national form: the defining authority's 18-character code followed by a
 * 3-digit serial (`<18>` + `001`). The authority codes below are stand-ins of the right form (their
 * GB 32100 check characters hold) until the hall receives the codes of the national certificate
 * catalogue (全国一体化政务服务平台电子证照目录); only certificates issued after a change carry a new code.
 */

/**
 * A field of a type. Fields named holderName, holderIdNumber, legalRepresentative, address, matter
 * and caseNumber are filled from the approved case when the hub issues a certificate (see
 * db/certificates/issue-certificates.ts); the others are the department's to fill, so they are optional.
 */
export type CertificateFieldSeed = CertificateField;

export interface CertificateTypeSeed {
  code: string;
  name: string;
  /** The issuing department (a department code of the catalogue). */
  departmentCode: string;
  fields: CertificateFieldSeed[];
  /** Items whose approval by the department issues a new certificate (a new serial). */
  itemCodes: string[];
  /**
   * Items whose approval re-issues the holder's current certificate of this type (换发、变更): the next
   * version of the same serial; the version it replaces is revoked as superseded. Without a current
   * certificate of the holder, a new one is issued.
   */
  reissueItemCodes: string[];
  /** Checklist material names (exactly as in the catalogue) a valid certificate stands for (免提交). */
  standsFor: string[];
  /** Years a certificate stays valid; null = no expiry (长期). */
  validityYears: number | null;
}

/** Defining authorities (证照定义机构) of the types: stand-in codes, see above. */
const AUTHORITY = {
  /** 国家市场监督管理总局 */
  marketRegulation: '11100000MB0100001D',
  /** 国家烟草专卖局 */
  tobacco: '11100000MB01000386',
  /** 自然资源部 */
  naturalResources: '11100000MB01000751',
  /** 住房和城乡建设部 */
  housing: '11100000MB01001127',
  /** 国家卫生健康委员会 */
  health: '11100000MB01001490',
  /** 教育部 */
  education: '11100000MB0100186T',
  /** 国家体育总局 */
  sport: '11100000MB01002231',
  /** 文化和旅游部 */
  cultureTourism: '11100000MB0100260U',
  /** 公安部 */
  publicSecurity: '11100000MB0100297L',
  /** 中国残疾人联合会 */
  disabledPersons: '11100000MB0100334T',
  /** 交通运输部 */
  transport: '11100000MB0100371M',
  /** 工业和信息化部 */
  industryIt: '11100000MB0100408R',
  /** 民政部 */
  civilAffairs: '11100000MB0100445L',
  /** 国家林业和草原局 */
  forestry: '11100000MB0100482F',
  /** 国家发展和改革委员会 */
  developmentReform: '11100000MB0100519K',
} as const;

/** Holder fields of a type held by organisations (or, where the label says 个人, also by persons). */
const organisation = (holderLabel = '名称', idLabel = '统一社会信用代码'): CertificateFieldSeed[] => [
  { name: 'holderName', label: holderLabel, required: true },
  { name: 'holderIdNumber', label: idLabel, required: true },
  { name: 'legalRepresentative', label: '法定代表人（负责人）', required: false },
  { name: 'address', label: '住所（经营场所）', required: false },
];

const person = (holderLabel = '姓名'): CertificateFieldSeed[] => [
  { name: 'holderName', label: holderLabel, required: true },
  { name: 'holderIdNumber', label: '公民身份号码', required: true },
  { name: 'address', label: '住址', required: false },
];

const matter = (label = '许可事项'): CertificateFieldSeed => ({
  name: 'matter',
  label,
  required: true,
});

const caseNumber: CertificateFieldSeed = {
  name: 'caseNumber',
  label: '办件编号',
  required: true,
};

const extra = (name: string, label: string): CertificateFieldSeed => ({ name, label, required: false });

export const certificateTypes: CertificateTypeSeed[] = [
  {
    code: `${AUTHORITY.developmentReform}001`,
    name: '河南省企业投资项目备案证明',
    departmentCode: 'development_reform',
    fields: [
      ...organisation('项目单位'),
      extra('projectName', '项目名称'),
      extra('projectCode', '项目代码'),
      extra('location', '建设地点'),
      extra('investment', '总投资'),
      matter('备案事项'),
      caseNumber,
    ],
    itemCodes: ['TZXM-001'],
    reissueItemCodes: [],
    standsFor: ['项目批准、核准或备案文件'],
    validityYears: null,
  },
  {
    code: `${AUTHORITY.marketRegulation}001`,
    name: '营业执照',
    departmentCode: 'market_regulation',
    fields: [
      ...organisation(),
      extra('entityType', '类型'),
      extra('registeredCapital', '注册资本'),
      extra('establishedOn', '成立日期'),
      extra('businessScope', '经营范围'),
      matter('登记事项'),
      caseNumber,
    ],
    itemCodes: ['QYKB-001', 'QYKB-004'],
    reissueItemCodes: ['QYKB-002'],
    standsFor: [
      '营业执照',
      '项目单位营业执照',
      '企业法人营业执照',
      '用电人主体资格证明（营业执照）',
      '申请人营业执照或身份证明',
      '申请方营业执照或法人证书',
      '申请单位营业执照或法人证书',
    ],
    validityYears: null,
  },
  {
    code: `${AUTHORITY.marketRegulation}002`,
    name: '食品经营许可证',
    departmentCode: 'food_drug_administration',
    fields: [...organisation('经营者名称'), extra('businessItems', '经营项目'), matter(), caseNumber],
    itemCodes: ['QYKB-006'],
    reissueItemCodes: [],
    standsFor: [],
    validityYears: 5,
  },
  {
    code: `${AUTHORITY.tobacco}001`,
    name: '烟草专卖零售许可证',
    departmentCode: 'tobacco',
    fields: [...organisation('企业（字号）名称'), extra('supplier', '供货单位'), matter(), caseNumber],
    itemCodes: ['QYKB-007'],
    reissueItemCodes: [],
    standsFor: [],
    validityYears: 5,
  },
  {
    code: `${AUTHORITY.naturalResources}001`,
    name: '不动产权证书',
    departmentCode: 'land_resources',
    fields: [
      { name: 'holderName', label: '权利人', required: true },
      { name: 'holderIdNumber', label: '证件号码', required: true },
      extra('location', '坐落'),
      extra('unitNumber', '不动产单元号'),
      extra('rightType', '权利类型'),
      extra('area', '面积'),
      matter('登记事项'),
      caseNumber,
    ],
    itemCodes: ['BDC-001', 'BDC-002'],
    reissueItemCodes: [],
    standsFor: [
      '不动产权证书',
      '不动产权证书（或房屋所有权证、国有土地使用证）',
      '国有建设用地使用权不动产权证书',
      '不动产权证书或不动产登记证明',
      '购房合同（已备案）或不动产权证书',
      '使用土地的有关证明文件（不动产权证书或建设用地规划许可证）',
      '用电地址物权证明（不动产权证书、土地使用证明或租赁协议）',
      '林木权属证明（林权证、不动产权证书或承包合同）',
    ],
    validityYears: null,
  },
  {
    code: `${AUTHORITY.naturalResources}002`,
    name: '不动产登记证明',
    departmentCode: 'land_resources',
    fields: [
      { name: 'holderName', label: '权利人（申请人）', required: true },
      { name: 'holderIdNumber', label: '证件号码', required: true },
      extra('obligor', '义务人'),
      extra('location', '坐落'),
      extra('unitNumber', '不动产单元号'),
      { name: 'matter', label: '证明权利或事项', required: true },
      caseNumber,
    ],
    itemCodes: ['BDC-003'],
    reissueItemCodes: [],
    standsFor: ['不动产权证书或不动产登记证明'],
    validityYears: null,
  },
  {
    code: `${AUTHORITY.naturalResources}003`,
    name: '建设工程规划许可证',
    departmentCode: 'urban_rural_planning',
    fields: [
      ...organisation('建设单位（个人）', '证件号码'),
      extra('projectName', '建设项目名称'),
      extra('location', '建设位置'),
      extra('scale', '建设规模'),
      matter(),
      caseNumber,
    ],
    itemCodes: ['TZXM-003'],
    reissueItemCodes: [],
    standsFor: ['建设工程规划许可证', '建设工程规划许可证明文件', '建设工程规划许可证或规划设计方案审查意见'],
    validityYears: null,
  },
  {
    code: `${AUTHORITY.housing}001`,
    name: '建筑工程施工许可证',
    departmentCode: 'housing_construction',
    fields: [
      ...organisation('建设单位'),
      extra('projectName', '工程名称'),
      extra('location', '建设地址'),
      extra('contractPrice', '合同价格'),
      matter(),
      caseNumber,
    ],
    itemCodes: ['TZXM-007'],
    reissueItemCodes: [],
    standsFor: [],
    validityYears: null,
  },
  {
    code: `${AUTHORITY.housing}002`,
    name: '商品房预售许可证',
    departmentCode: 'real_estate_management_centre',
    fields: [
      ...organisation('售房单位'),
      extra('projectName', '项目名称'),
      extra('location', '房屋坐落'),
      extra('presaleArea', '预售面积'),
      matter(),
      caseNumber,
    ],
    itemCodes: ['BDC-005'],
    reissueItemCodes: [],
    standsFor: [],
    validityYears: null,
  },
  {
    code: `${AUTHORITY.health}001`,
    name: '公共场所卫生许可证',
    departmentCode: 'health_family_planning',
    fields: [...organisation('单位名称'), extra('premisesType', '许可项目'), matter(), caseNumber],
    itemCodes: ['KJWW-001'],
    reissueItemCodes: [],
    standsFor: [],
    validityYears: 4,
  },
  {
    code: `${AUTHORITY.health}002`,
    name: '医师执业证书',
    departmentCode: 'health_family_planning',
    fields: [
      ...person(),
      extra('practiceCategory', '执业类别'),
      extra('practiceScope', '执业范围'),
      extra('practiceLocation', '执业地点'),
      matter('注册事项'),
      caseNumber,
    ],
    itemCodes: ['KJWW-002'],
    reissueItemCodes: [],
    standsFor: [],
    validityYears: null,
  },
  {
    code: `${AUTHORITY.education}001`,
    name: '民办学校办学许可证',
    departmentCode: 'education',
    fields: [
      ...organisation('学校名称'),
      extra('schoolType', '学校类型'),
      extra('scope', '办学内容'),
      matter(),
      caseNumber,
    ],
    itemCodes: ['KJWW-003'],
    reissueItemCodes: [],
    standsFor: [],
    validityYears: 5,
  },
  {
    code: `${AUTHORITY.forestry}001`,
    name: '林木采伐许可证',
    departmentCode: 'forestry',
    fields: [
      { name: 'holderName', label: '采伐单位（个人）', required: true },
      { name: 'holderIdNumber', label: '证件号码', required: true },
      extra('location', '采伐地点'),
      extra('volume', '采伐蓄积'),
      matter(),
      caseNumber,
    ],
    itemCodes: ['KJWW-004'],
    reissueItemCodes: [],
    standsFor: [],
    validityYears: 1,
  },
  {
    code: `${AUTHORITY.sport}001`,
    name: '高危险性体育项目经营许可证',
    departmentCode: 'sports',
    fields: [...organisation('经营者名称'), extra('sport', '经营项目'), matter(), caseNumber],
    itemCodes: ['KJWW-006'],
    reissueItemCodes: [],
    standsFor: [],
    validityYears: 5,
  },
  {
    code: `${AUTHORITY.cultureTourism}001`,
    name: '娱乐经营许可证',
    departmentCode: 'culture_press_publication',
    fields: [...organisation('单位名称'), extra('venueType', '经营范围'), matter(), caseNumber],
    itemCodes: ['KJWW-007'],
    reissueItemCodes: [],
    standsFor: [],
    validityYears: 2,
  },
  {
    code: `${AUTHORITY.cultureTourism}002`,
    name: '旅行社业务经营许可证',
    departmentCode: 'foreign_affairs_tourism',
    fields: [...organisation('旅行社名称'), extra('businessScope', '经营范围'), matter(), caseNumber],
    itemCodes: ['KJWW-008'],
    reissueItemCodes: [],
    standsFor: [],
    validityYears: null,
  },
  {
    code: `${AUTHORITY.publicSecurity}001`,
    name: '机动车驾驶证',
    departmentCode: 'public_security',
    fields: [...person(), extra('vehicleClass', '准驾车型'), matter('换证事项'), caseNumber],
    itemCodes: [],
    reissueItemCodes: ['GASF-004'],
    standsFor: ['机动车驾驶证'],
    validityYears: 10,
  },
  {
    code: `${AUTHORITY.disabledPersons}001`,
    name: '中华人民共和国残疾人证',
    departmentCode: 'disabled_persons_federation',
    fields: [
      ...person(),
      extra('disabilityCategory', '残疾类别'),
      extra('disabilityGrade', '残疾等级'),
      matter('办证事项'),
      caseNumber,
    ],
    itemCodes: ['SBMS-005'],
    reissueItemCodes: [],
    standsFor: ['第二代残疾人证', '因病、因残等致困的证明材料（病历、残疾人证等）'],
    validityYears: 10,
  },
  {
    code: `${AUTHORITY.transport}001`,
    name: '道路运输经营许可证',
    departmentCode: 'transport',
    fields: [...organisation('业户名称'), extra('businessScope', '经营范围'), matter(), caseNumber],
    itemCodes: ['SBMS-008'],
    reissueItemCodes: [],
    standsFor: [],
    validityYears: 4,
  },
  {
    code: `${AUTHORITY.industryIt}001`,
    name: '无线电台执照',
    departmentCode: 'radio_administration',
    fields: [
      ...organisation('设台单位（个人）', '证件号码'),
      extra('stationType', '台站类别'),
      extra('frequency', '使用频率'),
      matter(),
      caseNumber,
    ],
    itemCodes: ['SBMS-010'],
    reissueItemCodes: [],
    standsFor: [],
    validityYears: 5,
  },
  {
    code: `${AUTHORITY.civilAffairs}001`,
    name: '结婚证',
    departmentCode: 'civil_affairs',
    fields: [...person('持证人'), extra('spouseName', '配偶姓名'), matter('登记事项'), caseNumber],
    itemCodes: ['SBMS-013'],
    reissueItemCodes: [],
    standsFor: [
      '结婚证（提取配偶公积金的）',
      '亲属关系证明（结婚证、出生医学证明等，投靠入户的）',
      '婚姻状况证明',
      '卖方婚姻状况证明或婚姻状况声明',
    ],
    validityYears: null,
  },
];
