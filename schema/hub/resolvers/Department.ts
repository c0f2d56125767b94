import type { DepartmentResolvers } from '../../__generated__/resolvers-types.ts';

export const Department: DepartmentResolvers = {
  zones: (department, _args, { catalogue }) => catalogue.zonesOfDepartment(department.code),
  items: (department, _args, { catalogue }) => catalogue.itemsOfDepartment(department.code),
};
