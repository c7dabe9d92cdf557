export interface CiGeneratorSchema {
  provider: 'github' | 'gitlab';
  registry?: string;
  branch?: string;
  formats?: string;
  runner?: string;
  sign?: boolean;
  bootTest?: boolean;
  pushAfterBootTest?: boolean;
  remoteCache?: 'self-hosted' | 'nx-cloud' | 'none';
  fanOut?: boolean;
  waves?: number;
  buildSpace?: boolean;
  force?: boolean;
  skipFormat?: boolean;
}
