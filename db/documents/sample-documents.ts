import type { HallDocument, HallDocumentMaterial } from './hall-document.ts';

/**
 * Realistic hall documents with made-up people and numbers, for the renderer's tests and for looking at
 * the layout (render one and open it) without a database.
 */

const HALL = '濮阳市政务服务中心';
const FOOTER =
  '咨询电话：0393-8990000（工作日 9:00—17:00）。本文书可通过“濮阳政务服务网”输入文书编号和验证码 7K3Q-29XD 核验真伪。';

/** The checklist of 食品经营许可（新办） with the state each material was found in at the counter. */
const FOOD_LICENCE_MATERIALS: HallDocumentMaterial[] = [
  { name: '食品经营许可申请书（须由法定代表人或者负责人签字并加盖公章）', status: '已提交' },
  {
    name: '营业执照或者其他主体资格证明文件复印件（加盖公章，与原件核对一致）',
    status: '已提交',
  },
  {
    name: '与食品经营相适应的主要设备设施布局、操作流程等文件，含经营场所平面图及设备布局图',
    status: '不符合要求',
    note: '平面图未标注粗加工、切配、烹饪、餐用具清洗消毒等功能区位置及面积，请按实际场所重新绘制。',
  },
  {
    name: '食品安全自查、从业人员健康管理、进货查验记录、食品安全事故处置等保证食品安全的规章制度',
    status: '缺少',
    note: '须提供加盖公章的制度文本。',
  },
  {
    name: '食品安全管理人员任命文件及其食品安全知识培训考核合格证明',
    status: '缺少',
  },
  {
    name: '法定代表人（负责人）身份证明复印件及委托他人办理的授权委托书和受托人身份证明',
    status: '不符合要求',
    note: '授权委托书未载明委托事项和权限，且委托人签名与身份证明不一致。',
  },
  { name: '经营场所使用证明（房屋产权证明或者租赁合同）', status: '已提交' },
  {
    name: '利用自动售货设备从事食品销售的，自动售货设备的产品合格证明、具体放置地点及经营者联系方式',
    status: '不适用',
    note: '本次申请不含自动售货设备。',
  },
];

/** A 补齐补正通知书 for a food business licence, with eight materials of which five are in order or n/a. */
export function sampleCorrectionNotice(): HallDocument {
  return {
    kind: 'correction_notice',
    title: '补齐补正通知书',
    number: '濮政服补字〔2026〕第000123号',
    hallName: HALL,
    issuedOn: '2026-11-25',
    addressee: '濮阳市华龙区鑫源餐饮管理有限公司',
    facts: [
      { label: '办件编号', value: 'PY-2026-1125-000123' },
      { label: '申请事项', value: '食品经营许可（新办）' },
      { label: '申请人', value: '濮阳市华龙区鑫源餐饮管理有限公司' },
      { label: '统一社会信用代码', value: '91410902MA4******7' },
      { label: '经办人', value: '王**（身份证号码 4109**********1234）' },
      { label: '收件日期', value: '2026年11月24日' },
      { label: '补正期限', value: '自收到本通知书之日起5个工作日内（2026年12月2日前）' },
    ],
    paragraphs: [
      '你单位于2026年11月24日提交的食品经营许可（新办）申请材料，经审查，存在申请材料不齐全或者不符合法定形式的情形。',
      '根据《中华人民共和国行政许可法》第三十二条第一款第（四）项的规定，请你单位在补正期限内一次性补齐补正下列“缺少”或者“不符合要求”的材料，并携带本通知书到本中心一楼市场监管窗口（B区12—15号）提交。逾期不补正的，视为放弃本次申请；补齐补正后，本中心将在收到全部材料之日起依法作出受理决定。',
    ],
    materials: FOOD_LICENCE_MATERIALS,
    closing: ['特此通知。', '（行政许可专用章）'],
    footer: FOOTER,
  };
}

/** A 受理通知书 for the same item once the materials were complete. */
export function sampleAcceptanceNotice(): HallDocument {
  return {
    kind: 'acceptance_notice',
    title: '受理通知书',
    number: '濮政服受字〔2026〕第000457号',
    hallName: HALL,
    issuedOn: '2026-12-01',
    addressee: '濮阳市华龙区鑫源餐饮管理有限公司',
    facts: [
      { label: '办件编号', value: 'PY-2026-1125-000123' },
      { label: '申请事项', value: '食品经营许可（新办）' },
      { label: '申请人', value: '濮阳市华龙区鑫源餐饮管理有限公司' },
      { label: '证件号码', value: '91410902MA4******7' },
      { label: '受理日期', value: '2026年12月1日' },
      { label: '承诺办结日期', value: '2026年12月11日（承诺时限7个工作日）' },
      { label: '办理窗口', value: '一楼市场监管窗口（B区12—15号）' },
    ],
    paragraphs: [
      '你单位于2026年12月1日提交的食品经营许可（新办）申请，经审查，申请材料齐全、符合法定形式。根据《中华人民共和国行政许可法》第三十二条第一款第（五）项的规定，本中心决定予以受理。',
      '本中心将在承诺办结日期前作出是否准予许可的决定。办理进度可通过“濮阳政务服务网”或者“豫事办”输入办件编号查询；办结后，电子证照将同步推送至你单位的电子证照库，纸质证照可选择窗口领取或者免费邮寄。',
    ],
    closing: ['特此通知。', '（行政许可专用章）'],
    footer: FOOTER,
  };
}

/** A 补齐补正通知书 whose materials table has `count` rows, to exercise page breaks inside the table. */
export function sampleLongCorrectionNotice(count: number): HallDocument {
  const base = sampleCorrectionNotice();
  const materials = Array.from({ length: count }, (_, index) => {
    const material = FOOD_LICENCE_MATERIALS[index % FOOD_LICENCE_MATERIALS.length]!;
    return { ...material, name: `${material.name}（第${index + 1}项）` };
  });
  return { ...base, number: '濮政服补字〔2026〕第000124号', materials };
}
