import type { Actor, Role } from '../../schema/context.ts';

/** 濮阳市 (Puyang city): the hall of the city's administrative service centre. */
export const DEMO_HALL = '410900';

/** One ready-made actor per role, for the all-in-one start and the demo. */
export const DEMO_ACTORS: Record<Role, Actor> = {
  clerk: { id: 'clerk-wangmin', name: '王敏', role: 'clerk', departmentCode: null, hallCode: DEMO_HALL },
  chief_representative: {
    id: 'chief-tax-liqiang',
    name: '李强',
    role: 'chief_representative',
    departmentCode: 'tax',
    hallCode: DEMO_HALL,
  },
  department_reviewer: {
    id: 'reviewer-civil-affairs-zhaoli',
    name: '赵丽',
    role: 'department_reviewer',
    departmentCode: 'civil_affairs',
    hallCode: null,
  },
  supervisor: {
    id: 'supervisor-chenjing',
    name: '陈静',
    role: 'supervisor',
    departmentCode: null,
    hallCode: DEMO_HALL,
  },
  applicant: {
    id: 'applicant-demo-001',
    name: '张伟',
    role: 'applicant',
    departmentCode: null,
    hallCode: null,
  },
  consumer: {
    id: 'consumer-big-data-bureau',
    name: '市大数据管理局',
    role: 'consumer',
    departmentCode: null,
    hallCode: null,
  },
};
