import type { Components } from '../dsl';
import { componentsAtoC } from './a-to-c';
import { componentsDtoG } from './d-to-g';
import { componentsGtoP } from './g-to-p';
import { componentsPtoY } from './p-to-y';

const parts: readonly Components[] = [componentsAtoC, componentsDtoG, componentsGtoP, componentsPtoY];

function merge(sources: readonly Components[]): Components {
  const merged: Record<string, Components[string]> = {};
  for (const source of sources) {
    for (const [name, def] of Object.entries(source)) {
      if (name in merged) throw new Error(`message model: component ${name} is defined twice`);
      merged[name] = def;
    }
  }
  return merged;
}

/** Every message component the project knows, by ISO 20022 name. */
export const components: Components = merge(parts);
