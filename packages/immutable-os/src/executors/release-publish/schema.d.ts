import type { PushExecutorSchema } from '../push/schema';

export interface ReleasePublishExecutorSchema extends PushExecutorSchema {
  dryRun?: boolean;
  registry?: string;
  tag?: string;
  otp?: string | boolean | number;
  access?: string;
  firstRelease?: string | boolean | number;
}
