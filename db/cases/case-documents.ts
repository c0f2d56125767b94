import type { HallDocument } from '../documents/hall-document.ts';
import type { Case } from '../entities/case.ts';
import type { DocumentKind } from '../entities/case-document.ts';
import { maskIdNumber } from '../identity/mask.ts';
import type { MaterialCheck, MaterialGap } from './material-check.ts';

const TITLES: Record<DocumentKind, string> = {
  acceptance_notice: '受理通知书',
  correction_notice: '补齐补正材料通知书',
  refusal_decision: '不予受理决定书',
  deficiency_acceptance_notice: '容缺受理通知书',
  pre_acceptance_result: '网上申请预受理结果告知书',
  immediate_decision: '即办件审批决定书',
  return_notice: '退办通知书',
};

const STATE_TEXT = {
  conforming: '已提交',
  missing: '缺少',
  defective: '不符合要求',
  not_presented: '未提交（非必要）',
} as const;

export interface DocumentExtras {
  check: MaterialCheck;
  deadline: { dueDate: string; estimated: boolean } | null;
  gaps?: MaterialGap[];
  reasons?: string[];
  approved?: boolean;
}

/**
 * The content of a document as issued, frozen on the document row; the PDF is rendered from it.
 * Identity numbers appear masked: a printed notice travels.
 */
export function buildDocumentContent(
  hallCase: Case,
  kind: DocumentKind,
  number: string,
  issuedOn: string,
  extras: DocumentExtras,
): HallDocument {
  const item = hallCase.item;
  const applicant = hallCase.applicant;
  const facts = [
    { label: '办件编号', value: hallCase.number },
    { label: '申请事项', value: `${item.name}（${item.code}）` },
    { label: '申请人', value: applicant.name },
    {
      label: applicant.idType === 'citizen_id' ? '身份证件号码' : '统一社会信用代码',
      value: maskIdNumber(applicant.idNumber),
    },
    { label: '申请日期', value: hallCase.receivedOn },
  ];
  if (hallCase.agent) facts.push({ label: '代理人', value: hallCase.agent.name });
  const paragraphs: string[] = [];
  let materials: HallDocument['materials'];
  switch (kind) {
    case 'acceptance_notice':
      facts.push({ label: '受理日期', value: hallCase.acceptedOn ?? issuedOn });
      if (extras.deadline) facts.push({ label: '承诺办结日期', value: extras.deadline.dueDate });
      paragraphs.push(
        `你（单位）提出的${item.name}申请，经审查，申请材料齐全、符合法定形式，根据《中华人民共和国行政许可法》第三十二条的规定，决定予以受理。`,
        `本事项承诺办结时限为${hallCase.promisedLimitDays}个工作日，办理结果将通过综合窗口统一发放。`,
      );
      materials = extras.check.entries
        .filter((e) => e.latest)
        .map((e) => ({ name: e.entry.name, status: STATE_TEXT[e.state] }));
      break;
    case 'correction_notice':
      paragraphs.push(
        `你（单位）提出的${item.name}申请，经审查，申请材料不齐全或者不符合法定形式。根据《中华人民共和国行政许可法》第三十二条的规定，现一次性告知需要补齐补正的全部内容如下：`,
        '请补齐补正上述材料后重新提交。补齐补正期间不计入办理时限。',
      );
      materials = (extras.gaps ?? []).map((g) => ({
        name: g.name,
        status: STATE_TEXT[g.state],
        note: g.reasons.join('；'),
      }));
      break;
    case 'refusal_decision':
      paragraphs.push(
        `你（单位）提出的${item.name}申请，经审查，不符合受理条件，根据《中华人民共和国行政许可法》第三十二条的规定，决定不予受理。理由如下：`,
        ...(extras.reasons ?? []).map((r, i) => `${i + 1}. ${r}`),
        '如不服本决定，可自收到本决定书之日起六十日内依法申请行政复议，或者六个月内依法提起行政诉讼。',
      );
      break;
    case 'deficiency_acceptance_notice':
      facts.push({ label: '受理日期', value: hallCase.acceptedOn ?? issuedOn });
      if (hallCase.commitment) facts.push({ label: '承诺补齐日期', value: hallCase.commitment.supplyBy });
      paragraphs.push(
        `你（单位）提出的${item.name}申请，主要申请材料齐全，次要材料尚有欠缺，符合容缺受理条件，决定予以容缺受理，并实行模拟审批。`,
        `申请人承诺于${hallCase.commitment?.supplyBy ?? ''}前补齐下列材料；逾期未补齐的，本申请作退办处理，已作出的模拟审批结果不予发放。`,
        '申请人承诺：所提交材料真实有效，并按期补齐容缺材料。申请人（签字）：__________',
      );
      materials = (extras.gaps ?? []).map((g) => ({
        name: g.name,
        status: '容缺待补',
        note: g.reasons.join('；'),
      }));
      break;
    case 'pre_acceptance_result':
      paragraphs.push(
        `你（单位）通过网上提交的${item.name}申请，经预审，申请材料齐全、符合法定形式，预受理通过。请携带材料原件到综合窗口办理正式受理。`,
      );
      break;
    case 'return_notice':
      paragraphs.push(
        `你（单位）提出的${item.name}申请已于${hallCase.acceptedOn ?? ''}容缺受理。申请人承诺于${hallCase.commitment?.supplyBy ?? ''}前补齐下列材料，逾期未补齐。`,
        '根据容缺受理承诺，本申请作退办处理，已作出的模拟审批结果不予发放。补齐全部材料后可重新申请。',
      );
      materials = (extras.gaps ?? []).map((g) => ({
        name: g.name,
        status: '逾期未补齐',
        note: g.reasons.join('；'),
      }));
      break;
    case 'immediate_decision':
      paragraphs.push(
        extras.approved
          ? `你（单位）提出的${item.name}申请，经现场审核，符合法定条件，决定予以批准，办理结果当场出具。`
          : `你（单位）提出的${item.name}申请，经现场审核，决定不予批准。理由如下：`,
        ...(extras.approved ? [] : (extras.reasons ?? []).map((r, i) => `${i + 1}. ${r}`)),
      );
      break;
  }
  return {
    kind,
    title: TITLES[kind],
    number,
    hallName: hallCase.hall.name,
    issuedOn,
    addressee: applicant.name,
    facts,
    paragraphs,
    ...(materials ? { materials } : {}),
    closing: ['特此通知。'],
    footer: `办件编号 ${hallCase.number} · 可凭办件编号在政务服务网查询办理进度`,
  };
}
