export interface InitGeneratorSchema {
  lintTargetName?: string;
  buildTargetName?: string;
  pushTargetName?: string;
  convertTargetName?: string;
  testTargetName?: string;
  skipFormat?: boolean;
}
