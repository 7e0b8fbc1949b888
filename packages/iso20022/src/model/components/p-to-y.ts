import type { Components } from '../dsl';

export const componentsPtoY = {} satisfies Components;
