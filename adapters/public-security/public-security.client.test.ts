import { describe, expect, it } from 'vitest';
import { classifyFault } from './public-security.client.ts';

const fault = (code: string, message: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><soap:Fault><faultcode>soap:${code}</faultcode><faultstring>${message}</faultstring></soap:Fault></soap:Body></soap:Envelope>`;

describe('SOAP faults read by their code, whatever the HTTP status', () => {
  it('keeps the faultstring of a Server fault and retries it', () => {
    expect(classifyFault(500, fault('Server', '数据库连接超时'))).toEqual({
      kind: 'transient',
      reason: '数据库连接超时',
    });
  });

  it('does not retry a Client fault a sloppy stack sends with HTTP 500', () => {
    expect(classifyFault(500, fault('Client.Validation', '身份证号码校验位错误'))).toEqual({
      kind: 'permanent',
      reason: '身份证号码校验位错误',
    });
  });

  it('reads a fault cut short, and leaves answers without a fault to the kit', () => {
    const cut = fault('Client', '申请材料不齐全：缺少户口簿').slice(0, 200);
    expect(classifyFault(400, cut)).toMatchObject({ kind: 'permanent' });
    expect(classifyFault(502, '<html>Bad Gateway</html>')).toBeNull();
  });
});
