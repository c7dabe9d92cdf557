/** Options of the immutable-os:variants generator; see schema.json. */
export interface VariantsGeneratorSchema {
  project: string;
  axis?: string[];
  buildArgs?: string[];
  cppFlags?: string[];
  name?: string;
  skipFormat?: boolean;
}
