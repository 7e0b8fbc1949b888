import type { Components } from '../dsl';

export const componentsGtoP = {} satisfies Components;
