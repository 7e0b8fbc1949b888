import type { Components } from '../dsl';

export const componentsDtoG = {} satisfies Components;
