export interface CiGeneratorSchema {
  provider: 'github' | 'gitlab';
  registry?: string;
  branch?: string;
  formats?: string;
  runner?: string;
  sign?: boolean;
  bootTest?: boolean;
  pushAfterBootTest?: boolean;
  force?: boolean;
  skipFormat?: boolean;
}
