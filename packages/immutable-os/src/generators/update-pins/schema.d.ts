/** Options of the immutable-os:update-pins generator; see schema.json. */
export interface UpdatePinsGeneratorSchema {
  file?: string;
  names?: string[];
  add?: string[];
  tlsVerify?: boolean;
}
