import type { CatalogueSeed } from '../seed-catalogue.ts';
import { departments } from './departments.ts';
import { serviceItems } from './items.ts';
import { zones } from './zones.ts';

/** The hall's service catalogue as the seed writes it: six zones, their departments, the items. */
export const catalogue: CatalogueSeed = { zones, departments, items: serviceItems };
