import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateCertificateKey } from '../../db/certificates/certificate-keys.ts';
import { ConfigError, loadCertificateSetup, loadWorkerConfig } from '../../jobs/config.ts';
import { citizenId } from '../kit/front-desk.ts';
import { TEST_REDIS_URL } from '../kit/services.ts';
import {
  acceptedCase,
  approveByDepartment,
  certificatesOf,
  startCertificatePipeline,
  until,
} from './certificate-pipeline.ts';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'owh-cert-keys-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const problemsOf = (env: Record<string, string>) => {
  try {
    loadCertificateSetup(loadWorkerConfig(env));
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('certificate signing keys from the configuration', () => {
  it('production without CERT_SIGNING_KEYS refuses to start, naming the variable', () => {
    expect(problemsOf({ NODE_ENV: 'production', DATA_DIR: tempDir() })).toEqual([
      expect.stringMatching(/^CERT_SIGNING_KEYS: required in production/),
    ]);
    expect(problemsOf({ NODE_ENV: 'production', CERT_SIGNING_KEYS: '{"keys":[]}' })).toEqual([
      expect.stringMatching(/^CERT_SIGNING_KEYS: expected \{"keys":\[…\]\}/),
    ]);
    expect(problemsOf({ CERT_SIGNING_ALG: 'RS256' })).toEqual([expect.stringMatching(/^CERT_SIGNING_ALG:/)]);
  });

  it('a worker process in production without keys exits 2, naming CERT_SIGNING_KEYS', async () => {
    const env: Record<string, string | undefined> = {
      ...process.env,
      NODE_ENV: 'production',
      REDIS_URL: TEST_REDIS_URL,
      DATA_DIR: tempDir(),
    };
    delete env.CERT_SIGNING_KEYS;
    const child = spawn(process.execPath, [path.resolve(import.meta.dirname, '../../jobs/main.ts')], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(output).toMatch(/CERT_SIGNING_KEYS: required in production/);
    expect(code).toBe(2);
  }, 30_000);

  it('needs the address consumers reach the hub at in production', () => {
    const key = generateCertificateKey('EdDSA', new Date('2026-01-01'));
    const keys = JSON.stringify({ keys: [key] });
    expect(() =>
      loadCertificateSetup(loadWorkerConfig({ NODE_ENV: 'production', CERT_SIGNING_KEYS: keys })),
    ).toThrow(/HUB_PUBLIC_URL: required in production/);
    // Elsewhere the hub's own loopback address at its port.
    expect(loadCertificateSetup(loadWorkerConfig({ PORT: '4519', DATA_DIR: tempDir() })).publicUrl).toBe(
      'http://127.0.0.1:4519',
    );
  });

  it('reads a key set from JSON or from a file; the newest key of the configured algorithm signs', () => {
    const older = generateCertificateKey('EdDSA', new Date('2025-01-01'));
    const newer = generateCertificateKey('EdDSA', new Date('2026-01-01'));
    const sm2 = generateCertificateKey('SM2', new Date('2026-02-01'));
    const file = path.join(tempDir(), 'keys.json');
    writeFileSync(file, JSON.stringify({ keys: [newer, older, sm2] }));
    const fromFile = loadCertificateSetup(
      loadWorkerConfig({
        NODE_ENV: 'production',
        CERT_SIGNING_KEYS: file,
        HUB_PUBLIC_URL: 'https://zwfw.example.gov.cn',
      }),
    );
    expect(fromFile.keys.signingKid).toBe(newer.kid);
    expect(fromFile.keys.jwks().keys.map((k) => k.kid)).toEqual([newer.kid, older.kid, sm2.kid]);
    const fromJson = loadCertificateSetup(
      loadWorkerConfig({
        NODE_ENV: 'production',
        CERT_SIGNING_KEYS: JSON.stringify({ keys: [newer, sm2] }),
        CERT_SIGNING_ALG: 'SM2',
        HUB_PUBLIC_URL: 'https://zwfw.example.gov.cn',
      }),
    );
    expect(fromJson.keys.signingKid).toBe(sm2.kid);
  });

  it('outside production a development key set is made once under DATA_DIR and kept; SM2 joins it without dropping Ed25519', () => {
    const dataDir = tempDir();
    const first = loadCertificateSetup(loadWorkerConfig({ DATA_DIR: dataDir }));
    const again = loadCertificateSetup(loadWorkerConfig({ DATA_DIR: dataDir }));
    expect(again.keys.signingKid).toBe(first.keys.signingKid);
    const file = path.join(dataDir, 'dev-certificate-keys.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const sm2 = loadCertificateSetup(loadWorkerConfig({ DATA_DIR: dataDir, CERT_SIGNING_ALG: 'SM2' }));
    expect(sm2.keys.signingKid).not.toBe(first.keys.signingKid);
    expect(sm2.keys.jwks().keys.map((k) => k.alg)).toEqual(['EdDSA', 'SM2']);
    expect(JSON.parse(readFileSync(file, 'utf8')).keys).toHaveLength(2);
  });
});

describe('CERT_SIGNING_ALG=SM2 end to end', () => {
  it('issues SM2-signed certificates and status lists that the endpoint verifies', async () => {
    const p = await startCertificatePipeline({ env: { CERT_SIGNING_ALG: 'SM2' } });
    try {
      const accepted = await acceptedCase(p.orm, 'BDC-001', {
        type: 'person',
        name: '国密测试',
        idNumber: citizenId(60),
      });
      await approveByDepartment(p.orm, accepted, 'land_resources', {
        name: '不动产权证书',
        number: '豫（2026）第60号',
      });
      const [certificate] = await until(async () => {
        const rows = await certificatesOf(p.orm, accepted.id);
        return rows.length > 0 && rows;
      });
      const token = readFileSync(p.certificates.blobs.pathOf(certificate!.tokenSha256!), 'utf8');
      expect(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()).alg).toBe('SM2');
      const list = await (await fetch(`${p.hub.url}/certificates/status/revocation-1`)).text();
      expect(JSON.parse(Buffer.from(list.split('.')[0]!, 'base64url').toString()).alg).toBe('SM2');
      const verdict = await fetch(`${p.hub.url}/certificates/verify`, {
        method: 'POST',
        body: token,
        headers: { 'content-type': 'text/plain' },
      });
      expect(await verdict.json()).toMatchObject({ verdict: 'VALID', keyId: certificate!.keyId });
    } finally {
      await p.close();
    }
  });
});
