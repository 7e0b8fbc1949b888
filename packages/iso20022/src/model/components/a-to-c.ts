import type { Components } from '../dsl';

export const componentsAtoC = {} satisfies Components;
