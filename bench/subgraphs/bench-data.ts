/**
 * The bench's data: deterministic, computed from an index, so that every subgraph and the one-process
 * reference produce the same values without sharing state. Shapes of the hall's real data (case
 * numbers, registry references, certificate numbers), no personal data.
 */

export interface BenchCase {
  number: string;
  status: string;
  itemCode: string;
  itemName: string;
  applicantName: string;
  receivedOn: string;
  notes: string;
}

export interface BenchProperty {
  unitNumber: string;
  location: string;
  floorArea: number;
  mortgaged: boolean;
}

export interface BenchRegistration {
  id: string;
  status: string;
  type: string;
  receivedAt: string;
  property: BenchProperty;
  remarks: string;
}

export interface BenchCertificate {
  number: string;
  kind: string;
  issuedOn: string;
}

/** The longest list the cases subgraph serves (the large-response shape asks for this many). */
export const MAX_CASES = 1000;

const CASE_STATUSES = ['RECEIVED', 'ACCEPTED', 'APPROVED', 'DENIED'];
const REGISTRATION_STATUSES = ['RECEIVED', 'REVIEWING', 'REGISTERED', 'REJECTED'];
const REGISTRATION_TYPES = ['FIRST', 'TRANSFER', 'MORTGAGE', 'INQUIRY'];

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Long free text (about 3 bytes per character in UTF-8), for the large-response shape. */
function longText(seed: number, chars: number): string {
  const sentence = `第${seed}号办件：申请人提交的材料经窗口核验齐全，已按承诺时限流转至登记机构审核。`;
  return sentence.repeat(Math.ceil(chars / sentence.length)).slice(0, chars);
}

const caseNumberPattern = /^410900-20261125-(\d{6})$/;

// The data never changes: built once per index, so that serving it costs what serialising it costs.
const caseMemo: BenchCase[] = [];
const registrationMemo = new Map<number, BenchRegistration>();

export function caseAt(index: number): BenchCase {
  caseMemo[index] ??= {
    number: `410900-20261125-${pad(index + 1, 6)}`,
    status: CASE_STATUSES[index % CASE_STATUSES.length]!,
    itemCode: 'BDC-003',
    itemName: '不动产抵押登记',
    applicantName: `申请人${pad(index + 1, 4)}`,
    receivedOn: '2026-11-25',
    notes: longText(index + 1, 4000),
  };
  return caseMemo[index];
}

/** The cases subgraph's list: the newest `first` cases. */
export function caseList(first: number): BenchCase[] {
  const n = Math.max(0, Math.min(first, MAX_CASES));
  return Array.from({ length: n }, (_, i) => caseAt(i));
}

/** A case by its number, or null for a number the hall does not hold. */
export function caseByNumber(caseNumber: string): BenchCase | null {
  const match = caseNumberPattern.exec(caseNumber);
  const serial = match ? Number(match[1]) : 0;
  return serial >= 1 && serial <= MAX_CASES ? caseAt(serial - 1) : null;
}

/** The registry's registration for a case number, or null for a number it does not hold. */
export function registrationFor(caseNumber: string): BenchRegistration | null {
  const match = caseNumberPattern.exec(caseNumber);
  if (!match) return null;
  const serial = Number(match[1]);
  const known = registrationMemo.get(serial);
  if (known) return known;
  const registration: BenchRegistration = {
    id: `DJ20261125${pad(serial, 6)}`,
    status: REGISTRATION_STATUSES[serial % REGISTRATION_STATUSES.length]!,
    type: REGISTRATION_TYPES[serial % REGISTRATION_TYPES.length]!,
    receivedAt: `2026-11-25T0${serial % 10}:${pad(serial % 60, 2)}:00+08:00`,
    property: {
      unitNumber: `410902007001GB${pad(serial, 5)}F0001${pad(serial % 1000, 4)}`,
      location: `华龙区胜利路${serial}号${(serial % 30) + 1}层`,
      floorArea: 60 + (serial % 90) + (serial % 7) / 4,
      mortgaged: serial % 3 === 0,
    },
    remarks: longText(serial, 1000),
  };
  registrationMemo.set(serial, registration);
  return registration;
}

/** The certificate issued on a registration, or null while none is. */
export function certificateFor(registrationId: string): BenchCertificate | null {
  const serial = Number(registrationId.slice(-6));
  if (!registrationId.startsWith('DJ') || !Number.isInteger(serial)) return null;
  return {
    number: `豫(2026)濮阳市不动产证明第${pad(serial, 7)}号`,
    kind: serial % 2 === 0 ? 'TITLE_CERTIFICATE' : 'REGISTRATION_PROOF',
    issuedOn: '2026-11-28',
  };
}
