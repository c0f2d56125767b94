/** Halls of Puyang (濮阳市) and its districts and counties, by GB/T 2260 division code. */
export const HALLS = [
  { code: '410900', name: '濮阳市政务服务中心', documentPrefix: '濮政服' },
  { code: '410902', name: '濮阳市华龙区政务服务中心', documentPrefix: '华政服' },
  { code: '410922', name: '清丰县政务服务中心', documentPrefix: '清政服' },
  { code: '410923', name: '南乐县政务服务中心', documentPrefix: '南政服' },
  { code: '410926', name: '范县政务服务中心', documentPrefix: '范政服' },
  { code: '410927', name: '台前县政务服务中心', documentPrefix: '台政服' },
  { code: '410928', name: '濮阳县政务服务中心', documentPrefix: '濮县政服' },
] as const;
