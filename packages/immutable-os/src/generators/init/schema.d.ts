export interface InitGeneratorSchema {
  lintTargetName?: string;
  buildTargetName?: string;
  pushTargetName?: string;
  convertTargetName?: string;
  testTargetName?: string;
  promoteTargetName?: string;
  rollbackTargetName?: string;
  skipFormat?: boolean;
}
