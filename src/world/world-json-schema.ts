// The JSON Schema of the world file, derived from the zod schema so editors and Meridian agree.
import { z } from 'zod';
import { worldSchema } from './world-schema.js';

/** JSON Schema (draft 2020-12) for `meridian.yaml`, as an input document (defaults optional). */
export function worldJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(worldSchema, { io: 'input', unrepresentable: 'any' }),
    $id: 'https://meridian.example/schema/meridian.schema.json',
    title: 'Meridian world file',
  };
}
