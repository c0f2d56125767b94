import type { Actor } from '../actor.ts';
import { Blob } from '../entities/blob.ts';
import { Case } from '../entities/case.ts';
import { CaseDepartmentTask } from '../entities/case-department-task.ts';
import { badInput, HubError } from '../errors.ts';
import type { HubEntityManager } from '../orm.ts';
import { recordEvent } from './case-events.ts';

/**
 * The department's receiver signs for the paper materials the window handed over with a task (R-F6):
 * the paper changed hands, and the case's timeline shows who signed and when. Reviewers of the
 * department only; another department's task looks the same as none.
 */
export async function signPaperHandover(
  em: HubEntityManager,
  actor: Actor | null,
  input: { caseNumber: string; receiverName: string; signatureFileId: string },
): Promise<CaseDepartmentTask> {
  if (actor?.role !== 'department_reviewer' || !actor.departmentCode)
    throw new HubError('FORBIDDEN', 'paper handovers are signed by the receiving department’s reviewers');
  const receiverName = input.receiverName.trim();
  if (receiverName.length < 2 || receiverName.length > 50)
    throw badInput('receiverName', 'the receiver’s full name, 2 to 50 characters');
  return em.transactional(async (tx) => {
    const task = await tx.findOne(
      CaseDepartmentTask,
      { case: { number: input.caseNumber }, departmentCode: actor.departmentCode! },
      { populate: ['case'] },
    );
    if (!task) throw new HubError('FORBIDDEN', 'no handover of this case to your department');
    if (task.paperCount === 0)
      throw new HubError('CONFLICT', 'this handover had no paper materials; nothing to sign for');
    if (task.paperSignedAt) {
      throw new HubError(
        'CONFLICT',
        `already signed for by ${task.paperSignedBy} at ${task.paperSignedAt.toISOString()}`,
      );
    }
    const signature = await tx.findOne(Blob, { sha256: input.signatureFileId });
    if (!signature || !['image/png', 'image/jpeg'].includes(signature.mediaType))
      throw badInput(
        'signatureFileId',
        'the signature must be an uploaded PNG or JPEG image (POST /uploads)',
      );
    task.paperSignedBy = receiverName;
    task.paperSignedAt = new Date();
    task.paperSignature = signature.sha256;
    const hallCase = await tx.findOneOrFail(Case, { id: task.case.id });
    recordEvent(tx, hallCase, actor, 'paper_handover_signed', {
      department: [null, task.departmentCode],
      paperMaterials: [null, task.paperCount],
      receiver: [null, receiverName],
      signature: [null, signature.sha256],
    });
    return task;
  });
}
