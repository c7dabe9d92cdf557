export interface ImageGeneratorSchema {
  name: string;
  directory?: string;
  base?: string;
  from?: string;
  image?: string;
  formats?: string;
  tags?: string;
  variants?: string[];
  skipFormat?: boolean;
}
