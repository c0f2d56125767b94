import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Blob } from '../db/entities/blob.ts';
import { forkEm } from '../db/orm.ts';
import { CASE_FIELDS, citizenId, REGISTER, requiredMaterials, TOLERANT_ITEM } from './kit/front-desk.ts';
import { startTestHub, type TestHub } from './kit/test-hub.ts';

const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n'.padEnd(200, ' '),
);
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(120, 7),
]);

describe('material uploads', () => {
  let hub: TestHub;
  let clerk: string;
  beforeAll(async () => {
    hub = await startTestHub({ env: { UPLOAD_MAX_BYTES: String(64 * 1024) } });
    clerk = await hub.token('clerk');
  });
  afterAll(async () => {
    await hub?.close();
  });

  async function upload(content: Buffer, name: string, token: string | null = clerk, field = 'file') {
    const form = new FormData();
    form.append(field, new File([new Uint8Array(content)], name));
    const response = await fetch(`${hub.url}/uploads`, {
      method: 'POST',
      body: form,
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  function storedFiles(): string[] {
    const root = path.join(hub.dataDir, 'blobs');
    if (!existsSync(root)) return [];
    return readdirSync(root, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => e.name);
  }

  it('stores a file by its content hash, with the type sniffed from the bytes, once', async () => {
    const first = await upload(PDF, 'scan.jpg');
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ mediaType: 'application/pdf', size: PDF.length });
    expect(first.body.sha256).toMatch(/^[0-9a-f]{64}$/);
    const again = await upload(PDF, 'other-name.pdf');
    expect(again.body.sha256).toBe(first.body.sha256);
    expect(await forkEm(hub.db.orm).count(Blob, { sha256: String(first.body.sha256) })).toBe(1);
    expect((await upload(PNG, 'photo.pdf')).body.mediaType).toBe('image/png');
  });

  it('refuses empty, too large and unknown files with a clear error, and keeps nothing', async () => {
    const before = storedFiles();
    const blobsBefore = await forkEm(hub.db.orm).count(Blob);
    const empty = await upload(Buffer.alloc(0), 'empty.pdf');
    expect(empty).toMatchObject({ status: 400, body: { message: 'the file is empty' } });
    const large = await upload(Buffer.concat([PDF, Buffer.alloc(70 * 1024)]), 'big.pdf');
    expect(large.status).toBe(413);
    expect(String(large.body.message)).toMatch(/larger than the limit of 65536 bytes/);
    const exe = await upload(Buffer.from('MZ\x90\x00'.padEnd(300, '\0')), 'invoice.pdf');
    expect(exe.status).toBe(415);
    expect(String(exe.body.message)).toMatch(/judged by its content/);
    const wrongField = await upload(PDF, 'scan.pdf', clerk, 'attachment');
    expect(wrongField.status).toBe(400);
    expect(storedFiles()).toEqual(before);
    expect(await forkEm(hub.db.orm).count(Blob)).toBe(blobsBefore);
  });

  it('needs a clerk, applicant or department reviewer token (a receiver uploads the signature of a handover)', async () => {
    expect((await upload(PDF, 'scan.pdf', null)).status).toBe(401);
    expect((await upload(PDF, 'scan.pdf', await hub.token('consumer'))).status).toBe(403);
    expect((await upload(PNG, 'signature.png', await hub.token('department_reviewer'))).status).toBe(201);
  });

  it('lets a case refer to an uploaded file as an electronic material', async () => {
    const electronic = TOLERANT_ITEM.materials.find((m) => m.required && m.electronicAccepted)!;
    const { body: file } = await upload(PDF, '身份证明.pdf');
    const materials = requiredMaterials(TOLERANT_ITEM).map((m) =>
      m.checklistCode === electronic.code
        ? { checklistCode: m.checklistCode, medium: 'ELECTRONIC', fileId: file.id, fileName: '身份证明.pdf' }
        : m,
    );
    const { body } = await hub.gql<{
      registerCase: { materials: { file: { sha256: string; mediaType: string } | null }[] };
    }>(
      REGISTER.replace(
        CASE_FIELDS,
        `${CASE_FIELDS} materials { checklistCode medium file { sha256 mediaType fileName } }`,
      ),
      {
        input: {
          itemCode: TOLERANT_ITEM.code,
          channel: 'WINDOW',
          applicant: { type: 'PERSON', name: '孙丽', idNumber: citizenId(321) },
          materials,
        },
      },
      { token: clerk },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.registerCase.materials.find((m) => m.file)!.file).toMatchObject({
      sha256: file.id,
      mediaType: 'application/pdf',
    });
    const missing = await hub.gql(
      REGISTER,
      {
        input: {
          itemCode: TOLERANT_ITEM.code,
          channel: 'WINDOW',
          applicant: { type: 'PERSON', name: '孙丽', idNumber: citizenId(321) },
          materials: [{ checklistCode: electronic.code, medium: 'ELECTRONIC', fileId: 'f'.repeat(64) }],
        },
      },
      { token: clerk },
    );
    expect(missing.body.errors![0]!.message).toMatch(/upload it first/);
  });
});
