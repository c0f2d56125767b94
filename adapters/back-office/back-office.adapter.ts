import type { AdapterDeps, DepartmentAdapter } from '../kit/adapter-contract.ts';

/**
 * The hub's own back office: for departments without an approval system. A package becomes a task
 * in the hub's database; the department's reviewers decide it through the gateway
 * (`departmentTasks`, `decideDepartmentTask`), and decisions are pulled like any department's.
 */
export function createBackOfficeAdapter(deps: AdapterDeps): DepartmentAdapter {
  const store = deps.backOffice;
  const required = () => {
    if (!store) throw new Error('the back office needs the hub database (deps.backOffice)');
    return store;
  };
  return {
    name: 'back_office',
    departmentCodes: [],
    fallback: true,
    async submit(pkg) {
      const { taskId, created } = await required().createTask(pkg);
      return { departmentRef: taskId, status: created ? 'received' : 'duplicate' };
    },
    pullDecisions: (cursor) => required().decisionsSince(cursor),
    supplements: {
      supplyMaterials: (ref, materials, key) => required().supplyMaterials(ref.departmentRef, materials, key),
    },
    results: {
      refuseResult: (ref, reasons) => required().refuseResult(ref.departmentRef, reasons),
      reportDelivery: (ref, report) => required().recordDelivery(ref.departmentRef, report),
    },
    async health() {
      return {
        department: 'back_office',
        state: store ? 'up' : 'down',
        detail: store ? 'tasks kept by the hub' : 'no database',
        checkedAt: new Date().toISOString(),
      };
    },
  };
}
